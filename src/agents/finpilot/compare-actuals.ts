import type { CostEstimate } from '../../../contracts/index.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import type { StackVersion } from '../../store/stack-store.js';
import type { ActualCosts } from './read-actual-costs.js';

/** Estimate against the bill for one blueprint, or one stack that is off. */
export interface ActualRow {
  blueprint: string;
  stack?: string;
  estimateUsd: number;
  actualUsd: number;
  /** (actual − estimate) ÷ estimate, in percent; null when the estimate is 0. */
  errorPct: number | null;
  /** For a flagged stack: what its estimate could not price, the likeliest cause. */
  largestUnpriced?: string;
}

export type ActualsSection =
  { ok: true; from: string; to: string; blueprints: ActualRow[]; flagged: ActualRow[] } | { ok: false; reason: string };

/** A stack whose bill is this far from its estimate is flagged. */
export const ACTUALS_FLAG_RATIO = 0.25;

const round2 = (n: number) => Math.round(n * 100) / 100;
const errorPct = (estimate: number, actual: number) =>
  estimate > 0 ? Math.round(((actual - estimate) / estimate) * 1000) / 10 : null;

/** What the applied plan's estimate left out: an unpriced resource, else the costliest resource's usage-based part. */
export function largestUnpriced(cost: CostEstimate | undefined): string | undefined {
  if (!cost) return undefined;
  const u = cost.unpriced[0];
  if (u) return `${u.address} (${u.reason})`;
  const usage = [...cost.resources]
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
    .flatMap((r) => r.components.filter((c) => c.name.includes('(usage-based)')).map((c) => `${r.address}: ${c.name}`));
  return usage[0];
}

export interface CompareActualsInput {
  actuals: ActualCosts;
  stacks: ReadonlyArray<StackVersion & { stack: string }>;
  /** The applied plan of each stack, for what its estimate could not price. */
  plans: ReadonlyMap<string, PlanRecord | undefined>;
}

/** Estimate for the window the bill covers (monthly × hours the stack existed in it ÷ 730) against the bill. */
export function compareActuals(i: CompareActualsInput, hoursPerMonth = 730): ActualsSection {
  const a = i.actuals;
  if (!a.ok) return a;
  const from = Date.parse(`${a.from}T00:00:00Z`);
  const to = Date.parse(`${a.to}T00:00:00Z`);
  const byBlueprint = new Map<string, { estimate: number; actual: number }>();
  const flagged: ActualRow[] = [];
  for (const v of i.stacks) {
    if (!v.spec) continue;
    const start = Math.max(from, Date.parse(v.appliedAt) || from);
    const hours = Math.max(0, (to - start) / 3_600_000);
    const estimate = (v.monthlyUsd * hours) / hoursPerMonth;
    const actual = a.byStack[v.stack] ?? 0;
    const bp = v.spec.blueprint;
    const sum = byBlueprint.get(bp) ?? { estimate: 0, actual: 0 };
    byBlueprint.set(bp, { estimate: sum.estimate + estimate, actual: sum.actual + actual });
    const off = estimate > 0 ? Math.abs(actual - estimate) / estimate > ACTUALS_FLAG_RATIO : actual > 0.01;
    if (off) {
      const why = largestUnpriced(i.plans.get(v.stack)?.validation?.cost);
      flagged.push({
        blueprint: bp,
        stack: v.stack,
        estimateUsd: round2(estimate),
        actualUsd: round2(actual),
        errorPct: errorPct(estimate, actual),
        ...(why ? { largestUnpriced: why } : {}),
      });
    }
  }
  const blueprints = [...byBlueprint.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([blueprint, s]) => ({
      blueprint,
      estimateUsd: round2(s.estimate),
      actualUsd: round2(s.actual),
      errorPct: errorPct(s.estimate, s.actual),
    }));
  return { ok: true, from: a.from, to: a.to, blueprints, flagged };
}
