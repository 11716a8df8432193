import type { Redis } from 'ioredis';
import { CrewError } from '../../errors.js';
import { SpendLedgerStore } from '../../store/spend-ledger-store.js';
import { forecastMonth, type MonthForecast, type SpendEvent } from './forecast-spend.js';

export type { SpendEvent } from './forecast-spend.js';

export interface LedgerOptions {
  /** Redis key prefix (default `crew`); tests use a fresh one each. */
  prefix?: string;
}

const ledger = (redis: Redis, options: LedgerOptions) =>
  new SpendLedgerStore({ redis, prefix: options.prefix ?? 'crew' });

/**
 * Records a stack's new monthly cost; returns false when this plan's event was already recorded.
 * Once per (plan, kind): a redelivered apply or rollback does not count twice.
 */
export async function recordSpend(redis: Redis, event: SpendEvent, options: LedgerOptions = {}): Promise<boolean> {
  const at = Date.parse(event.at);
  if (!Number.isFinite(at))
    throw new CrewError('CREW_ERR_BAD_INPUT', `spend event for ${event.stack}: at=${event.at} is not a date`);
  if (!Number.isFinite(event.monthlyUsd) || event.monthlyUsd < 0)
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `spend event for ${event.stack}: monthlyUsd=${event.monthlyUsd} is not an amount`,
    );
  const row = JSON.stringify({
    stack: event.stack,
    monthlyUsd: event.monthlyUsd,
    at: new Date(at).toISOString(),
    planId: event.planId,
    kind: event.kind,
  });
  return ledger(redis, options).record(`${event.planId}:${event.kind}`, at, row);
}

function parseEvent(raw: string): SpendEvent | undefined {
  try {
    const v = JSON.parse(raw) as Partial<SpendEvent>;
    if (
      typeof v.stack === 'string' &&
      typeof v.monthlyUsd === 'number' &&
      typeof v.at === 'string' &&
      typeof v.planId === 'string' &&
      (v.kind === 'apply' || v.kind === 'rollback')
    )
      return v as SpendEvent;
  } catch {
    // A row that is not ours is skipped rather than breaking every digest.
  }
  return undefined;
}

/** Events with from ≤ at ≤ to, oldest first. */
export async function readSpendEvents(
  redis: Redis,
  range: { from?: Date; to?: Date } = {},
  options: LedgerOptions = {},
): Promise<SpendEvent[]> {
  const rows = await ledger(redis, options).read({
    ...(range.from ? { fromMs: range.from.getTime() } : {}),
    ...(range.to ? { toMs: range.to.getTime() } : {}),
  });
  return rows.map(parseEvent).filter((e): e is SpendEvent => e !== undefined);
}

export interface BudgetSummary extends MonthForecast {
  budgetUsd: number | null;
  brakeRatio: number;
  /** brakeRatio × budget: the forecast above which the brake holds new spend. */
  limitUsd: number | null;
  /** forecast / budget. */
  ratio: number | null;
  brake: boolean;
  headroomUsd: number | null;
}

export interface BudgetSummaryOptions extends LedgerOptions {
  budgetUsd: number | null | undefined;
  brakeRatio?: number;
  now?: Date;
  /** Applied stacks known elsewhere (the stack store); used only for stacks the ledger has never seen. */
  seed?: readonly SpendEvent[];
}

/** The month's spend and forecast against the brake, for the digest and App Home. */
export async function budgetSummary(redis: Redis, o: BudgetSummaryOptions): Promise<BudgetSummary> {
  const now = o.now ?? new Date();
  const events = await readSpendEvents(redis, { to: now }, o);
  const known = new Set(events.map((e) => e.stack));
  const forecast = forecastMonth([...events, ...(o.seed ?? []).filter((e) => !known.has(e.stack))], now);
  const budget = o.budgetUsd ?? null;
  const brakeRatio = o.brakeRatio ?? 0.8;
  const limit = budget === null ? null : Math.round(budget * brakeRatio * 100) / 100;
  return {
    ...forecast,
    budgetUsd: budget,
    brakeRatio,
    limitUsd: limit,
    ratio: budget === null || budget === 0 ? null : Math.round((forecast.forecastUsd / budget) * 10000) / 10000,
    brake: limit !== null && forecast.forecastUsd > limit,
    headroomUsd: limit === null ? null : Math.round((limit - forecast.forecastUsd) * 100) / 100,
  };
}
