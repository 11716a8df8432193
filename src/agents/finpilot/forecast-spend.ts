/** One change of a stack's monthly cost: at apply (the new cost) or rollback (the restored cost). */
export interface SpendEvent {
  stack: string;
  monthlyUsd: number;
  at: string;
  planId: string;
  kind: 'apply' | 'rollback';
}

export interface StackForecast {
  stack: string;
  /** Monthly cost in effect now. */
  runRateUsd: number;
  spentUsd: number;
  forecastUsd: number;
}

export interface MonthForecast {
  /** Calendar month in UTC, `YYYY-MM`. */
  month: string;
  from: string;
  to: string;
  /** Accrued from the first of the month to now. */
  spentUsd: number;
  /** spent + each stack's current rate for the rest of the month. */
  forecastUsd: number;
  runRateUsd: number;
  stacks: StackForecast[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function monthBounds(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * Pro-rata spend of the month: each stack costs its monthly rate × the share of the month
 * the rate was in effect. The rate at the start of the month is the last one recorded
 * before it; events after `now` are ignored.
 */
export function forecastMonth(events: readonly SpendEvent[], now: Date): MonthForecast {
  const { start, end } = monthBounds(now);
  const monthMs = end.getTime() - start.getTime();
  const t = Math.min(Math.max(now.getTime(), start.getTime()), end.getTime());
  const byStack = new Map<string, { at: number; usd: number }[]>();
  for (const e of events) {
    const at = Date.parse(e.at);
    if (!Number.isFinite(at) || at > now.getTime()) continue;
    byStack.set(e.stack, [...(byStack.get(e.stack) ?? []), { at, usd: e.monthlyUsd }]);
  }
  const stacks: StackForecast[] = [];
  for (const [stack, list] of [...byStack].sort((a, b) => a[0].localeCompare(b[0]))) {
    list.sort((a, b) => a.at - b.at);
    let rate = 0;
    let cursor = start.getTime();
    let spent = 0;
    for (const e of list) {
      if (e.at > cursor) {
        spent += (rate * (Math.min(e.at, t) - cursor)) / monthMs;
        cursor = Math.min(e.at, t);
      }
      rate = e.usd;
    }
    spent += (rate * (t - cursor)) / monthMs;
    const forecast = spent + (rate * (end.getTime() - t)) / monthMs;
    stacks.push({ stack, runRateUsd: round2(rate), spentUsd: round2(spent), forecastUsd: round2(forecast) });
  }
  const sum = (k: 'spentUsd' | 'forecastUsd' | 'runRateUsd') => round2(stacks.reduce((s, x) => s + x[k], 0));
  return {
    month: start.toISOString().slice(0, 7),
    from: start.toISOString(),
    to: end.toISOString(),
    spentUsd: sum('spentUsd'),
    forecastUsd: sum('forecastUsd'),
    runRateUsd: sum('runRateUsd'),
    stacks,
  };
}
