import type { Redis } from 'ioredis';
import type { CostDigest } from '../../../contracts/index.js';
import { checkPayload } from '../../../contracts/validate-artifact.js';
import { CrewError } from '../../errors.js';
import { DigestStateStore } from '../../store/digest-state-store.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import type { StackStore, StackVersion } from '../../store/stack-store.js';
import { SuggestionStore } from '../../store/suggestion-store.js';
import { compareActuals, type ActualsSection } from './compare-actuals.js';
import type { ActualCosts } from './read-actual-costs.js';
import { estimateStackSavings } from './estimate-stack-savings.js';
import { budgetSummary, readSpendEvents, type BudgetSummary, type SpendEvent } from './spend-ledger.js';
import { readSpotPrices } from './spot-prices.js';

export interface DigestDeps {
  redis: Redis;
  stacks: Pick<StackStore, 'stacks' | 'current'>;
  /** Key prefix of the ledger and spot cache (default `crew`). */
  prefix?: string;
  region: string;
  budgetUsd?: number | null;
  brakeRatio?: number;
  now?: () => Date;
  /** Applied plans, for what an estimate could not price (a stack off its bill). */
  plans?: { get(planId: string): Promise<PlanRecord | undefined> };
  /** Cost Explorer's bill per stack tag (AWS configured); absent: the digest has no actuals section. */
  actuals?: (window: { from: Date; to: Date }) => Promise<ActualCosts>;
}

/** The seeds' savings KPI, measured: what FinPilot suggested, what people planned, what got applied. */
export interface SavingsKpi {
  suggestedUsd: number;
  suggestions: number;
  acceptedUsd: number;
  accepted: number;
  realisedUsd: number;
  realised: number;
  /** Realised monthly saving ÷ (monthly cost now + realised saving), percent. */
  realisedPct: number;
}

export interface DigestPeriod {
  from: Date;
  to: Date;
}

/** The contract payload plus what only the rendered digest shows. */
export interface DigestReport {
  digest: CostDigest;
  budget: BudgetSummary;
  /** Ledger changes inside the period: what moved since the last digest. */
  changes: SpendEvent[];
  notes: string[];
  savingsKpi: SavingsKpi;
  /** Estimate vs bill for the month so far; absent when AWS is not configured. */
  actuals?: ActualsSection;
}

const digestState = (deps: Pick<DigestDeps, 'redis' | 'prefix'>) =>
  new DigestStateStore({ redis: deps.redis, prefix: deps.prefix ?? 'crew' });
const round2 = (n: number) => Math.round(n * 100) / 100;

/** From the last digest sent (or a week back) to now. */
export async function defaultDigestPeriod(deps: Pick<DigestDeps, 'redis' | 'prefix' | 'now'>): Promise<DigestPeriod> {
  const to = deps.now?.() ?? new Date();
  const last = await digestState(deps).lastSent();
  const from = last && Date.parse(last) < to.getTime() ? new Date(last) : new Date(to.getTime() - 7 * 86_400_000);
  return { from, to };
}

export async function markDigestSent(deps: Pick<DigestDeps, 'redis' | 'prefix'>, at: Date): Promise<void> {
  await digestState(deps).markSent(at);
}

export async function buildDigestReport(deps: DigestDeps, period: DigestPeriod): Promise<DigestReport> {
  const { prices: spotPrices } = await readSpotPrices(deps.redis, deps.region, deps.prefix);
  const notes: string[] = [];
  if (Object.keys(spotPrices).length === 0)
    notes.push('no live Spot prices cached: Spot savings use the default discount');
  const stacks: CostDigest['stacks'] = [];
  const applied: Array<StackVersion & { stack: string }> = [];
  // Stacks applied before the ledger was wired still count, from their recorded apply time.
  const seed: SpendEvent[] = [];
  for (const name of await deps.stacks.stacks()) {
    const current = await deps.stacks.current(name);
    if (!current?.spec) continue;
    applied.push({ ...current, stack: name });
    seed.push({
      stack: name,
      monthlyUsd: current.monthlyUsd,
      at: current.appliedAt,
      planId: current.planId,
      kind: 'apply',
    });
    const s = estimateStackSavings(current.spec, { region: deps.region, spotPrices });
    notes.push(...s.notes);
    stacks.push({
      stack: name,
      monthlyUsd: round2(current.monthlyUsd),
      spotSavingsUsd: s.spotSavingsUsd,
      offHoursSavingsUsd: s.offHoursSavingsUsd,
      // Its own budget (set by a goal), which brakes its plans.
      ...(current.spec.budget.monthlyUsd !== null
        ? { budget: { monthlyUsd: current.spec.budget.monthlyUsd, brakeRatio: current.spec.budget.brakeRatio } }
        : {}),
    });
  }
  const ledger = { ...(deps.prefix ? { prefix: deps.prefix } : {}) };
  const budget = await budgetSummary(deps.redis, {
    ...ledger,
    budgetUsd: deps.budgetUsd ?? null,
    brakeRatio: deps.brakeRatio ?? 0.8,
    now: period.to,
    seed,
  });
  const digest: CostDigest = {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    stacks,
    spend: budget.spentUsd,
    forecast: budget.forecastUsd,
    budget: budget.budgetUsd,
    savings: round2(stacks.reduce((sum, s) => sum + s.spotSavingsUsd + s.offHoursSavingsUsd, 0)),
  };
  const checked = checkPayload('CostDigest', digest);
  if (!checked.ok) throw new CrewError('CREW_ERR_BAD_ARTIFACT', checked.reason);
  const changes = await readSpendEvents(deps.redis, period, ledger);
  const savingsKpi = await readSavingsKpi(deps, checked.value);
  const actuals = deps.actuals ? await readActuals(deps, applied, period.to) : undefined;
  return {
    digest: checked.value,
    budget,
    changes,
    notes: [...new Set(notes)],
    savingsKpi,
    ...(actuals ? { actuals } : {}),
  };
}

async function readSavingsKpi(deps: DigestDeps, digest: CostDigest): Promise<SavingsKpi> {
  const store = new SuggestionStore({ redis: deps.redis, prefix: deps.prefix ?? 'crew' });
  const last = (await store.lastList()) as { suggestions?: Array<{ monthlyUsd: number }> } | undefined;
  const listed = last?.suggestions ?? [];
  const accepted = await store.accepted();
  const realised = accepted.filter((a) => a.realisedAt);
  const realisedUsd = round2(realised.reduce((s, a) => s + a.monthlyUsd, 0));
  const monthly = digest.stacks.reduce((s, x) => s + x.monthlyUsd, 0);
  return {
    suggestedUsd: round2(listed.reduce((s, x) => s + x.monthlyUsd, 0)),
    suggestions: listed.length,
    acceptedUsd: round2(accepted.reduce((s, a) => s + a.monthlyUsd, 0)),
    accepted: accepted.length,
    realisedUsd,
    realised: realised.length,
    realisedPct: monthly + realisedUsd > 0 ? Math.round((realisedUsd / (monthly + realisedUsd)) * 1000) / 10 : 0,
  };
}

/** Month to date: Cost Explorer's bill per stack tag against the estimate for the same hours. */
async function readActuals(
  deps: DigestDeps,
  applied: Array<StackVersion & { stack: string }>,
  to: Date,
): Promise<ActualsSection> {
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
  const actuals = await (deps.actuals as NonNullable<DigestDeps['actuals']>)({ from, to });
  const plans = new Map<string, PlanRecord | undefined>();
  if (deps.plans) for (const v of applied) plans.set(v.stack, await deps.plans.get(v.planId));
  return compareActuals({ actuals, stacks: applied, plans });
}

/** The CostDigest artifact payload for a period, validated against the contract. */
export async function buildDigest(deps: DigestDeps, period: DigestPeriod): Promise<CostDigest> {
  return (await buildDigestReport(deps, period)).digest;
}
