import type { AwsSpotOllamaSpec, PlanSpec } from '../../../contracts/index.js';
import { parseGoal } from '../atlas/parse-goal.js';
import type { AtlasContext } from '../atlas/atlas-types.js';
import { PRICE_BOOK } from '../sentinel/cost/load-prices.js';
import type { UsageFile } from '../sentinel/cost/read-usage-file.js';
import type { StackVersion } from '../../store/stack-store.js';
import { familyOf, gpuMemoryGib } from './gpu-memory.js';
import { priceSpecChange } from './price-spec-change.js';

export type SuggestionKind = 'weekend-schedule' | 'spot' | 'instance-type' | 'destroy';

/** One priced way to spend less on an applied stack. */
export interface Suggestion {
  /** Position in the list, 1-based: what `crew suggest --plan <n>` takes. */
  n: number;
  stack: string;
  kind: SuggestionKind;
  /** e.g. `weekend schedule: saves $243.32/month`. */
  title: string;
  why: string;
  /** The goal "Plan this" submits; absent when the change is not one Atlas drafts. */
  goal?: string;
  /** Why there is no goal to plan. */
  howTo?: string;
  /** Monthly saving: minus Sentinel's cost difference of the change. */
  monthlyUsd: number;
  yearlyUsd: number;
  currentMonthlyUsd: number;
  proposedMonthlyUsd: number;
}

export interface SuggestOptions {
  /** Atlas's defaults and the org's constraints; the goal is read by the deterministic parser. */
  atlas: Pick<AtlasContext, 'defaults' | 'constraints' | 'budgetUsd'>;
  now: Date;
  defaultRegion: string;
  /** Live Spot prices by region, then instance type (FinPilot's cache, as Sentinel reads it). */
  spotPrices?: Record<string, Record<string, number>>;
  usage?: UsageFile;
  /** A stack at zero capacity this long is suggested for removal (default 14 days). */
  idleDays?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const usd = (n: number) => `$${n.toFixed(2)}`;
const DAY_MS = 86_400_000;

type Draft = Omit<Suggestion, 'n' | 'title' | 'monthlyUsd' | 'yearlyUsd' | 'currentMonthlyUsd' | 'proposedMonthlyUsd'>;

const LABEL: Record<SuggestionKind, string> = {
  'weekend-schedule': 'weekend schedule',
  spot: 'on-demand to Spot',
  'instance-type': 'cheaper instance type',
  destroy: 'destroy idle stack',
};

/** Params whose values differ between two specs. */
function changedParams(a: PlanSpec, b: PlanSpec): string[] {
  const pa = a.params as Record<string, unknown>;
  const pb = b.params as Record<string, unknown>;
  return [...new Set([...Object.keys(pa), ...Object.keys(pb)])]
    .filter((k) => JSON.stringify(pa[k]) !== JSON.stringify(pb[k]))
    .sort();
}

/** The on-demand base a spec needs: one instance that rides out Spot interruptions when it keeps a minimum, else none. */
export const neededOnDemandBase = (p: AwsSpotOllamaSpec['params']): number => (p.minSize > 0 ? 1 : 0);

function cheaperSameGpu(type: string, region: string): string | undefined {
  const prices = PRICE_BOOK.regions[region]?.ec2 ?? {};
  const own = prices[type];
  const mem = gpuMemoryGib(type);
  if (own === undefined || mem === undefined) return undefined;
  return Object.entries(prices)
    .filter(([t, p]) => t !== type && familyOf(t) === familyOf(type) && gpuMemoryGib(t) === mem && p < own)
    .sort((x, y) => x[1] - y[1])[0]?.[0];
}

/** Candidate changes of one stack, before pricing. */
function draftsFor(v: StackVersion, spec: AwsSpotOllamaSpec, o: SuggestOptions): Draft[] {
  const p = spec.params;
  const stack = spec.stack;
  const out: Draft[] = [];
  const idleDays = o.idleDays ?? 14;
  if (p.desiredCapacity === 0) {
    const since = Date.parse(v.appliedAt);
    const days = (o.now.getTime() - since) / DAY_MS;
    if (days >= idleDays)
      out.push({
        stack,
        kind: 'destroy',
        why: `desired capacity has been 0 since ${v.appliedAt.slice(0, 10)} (${Math.floor(days)} days)`,
        howTo: `Atlas does not draft the removal of a whole stack: roll ${stack} back to before its first apply (crew rollback <plan id>), reviewed like any plan`,
      });
    return out;
  }
  if (!p.schedule)
    out.push({
      stack,
      kind: 'weekend-schedule',
      why: `runs around the clock; stopping it Friday 22:00 → Monday 07:00 (${o.atlas.defaults.timezone}) leaves it off 57 h a week`,
      goal: `add a weekend schedule to ${stack}`,
    });
  const need = neededOnDemandBase(p);
  if (Math.min(p.onDemandBase, p.desiredCapacity) > need)
    out.push({
      stack,
      kind: 'spot',
      why: `${p.onDemandBase} on-demand instance(s) in the base where ${need} ${need === 1 ? 'keeps the minimum up through Spot interruptions' : 'is needed (the group may scale to zero)'}`,
      goal: `set ${stack} on-demand base to ${need}`,
    });
  const type = p.instanceTypes[0];
  const cheaper = type ? cheaperSameGpu(type, spec.region ?? o.defaultRegion) : undefined;
  if (type && cheaper)
    out.push({
      stack,
      kind: 'instance-type',
      why: `${cheaper} has the same ${gpuMemoryGib(type)} GiB of GPU memory as ${type} (${familyOf(type)} family) for less`,
      goal: `switch ${stack} to ${cheaper}`,
    });
  return out;
}

const EXPECTED_CHANGE: Record<Exclude<SuggestionKind, 'destroy'>, string[]> = {
  'weekend-schedule': ['schedule'],
  spot: ['onDemandBase'],
  'instance-type': ['instanceTypes'],
};

/**
 * Concrete, priced suggestions for the applied stacks. Each goal is read by Atlas's own parser
 * against the stack's current spec, and the saving is minus the cost difference Sentinel computes
 * for that change (same price file, Spot prices and scheduled hours), so the plan "Plan this"
 * makes shows the same number. A goal Atlas would read differently is left out, with a note.
 */
export function listSavingsSuggestions(
  applied: ReadonlyArray<StackVersion & { stack: string }>,
  o: SuggestOptions,
): { suggestions: Suggestion[]; notes: string[] } {
  const specs = new Map(applied.flatMap((v) => (v.spec ? [[v.stack, v.spec] as const] : [])));
  const ctx: AtlasContext = { ...o.atlas, currentSpec: (s) => structuredClone(specs.get(s)) };
  const notes: string[] = [];
  const suggestions: Suggestion[] = [];
  for (const v of applied) {
    if (v.spec?.blueprint !== 'aws-spot-ollama') continue;
    const current = v.spec;
    for (const d of draftsFor(v, current, o)) {
      let proposed: PlanSpec | null = null;
      if (d.goal) {
        const parsed = parseGoal(d.goal, ctx);
        const want = EXPECTED_CHANGE[d.kind as keyof typeof EXPECTED_CHANGE];
        if (parsed.kind !== 'spec' || parsed.spec.stack !== current.stack) {
          notes.push(`${d.stack}: "${d.goal}" is not a plan Atlas drafts here, so it is not suggested`);
          continue;
        }
        const changed = changedParams(current, parsed.spec);
        if (JSON.stringify(changed) !== JSON.stringify(want)) {
          notes.push(`${d.stack}: "${d.goal}" would change ${changed.join(', ') || 'nothing'}, so it is not suggested`);
          continue;
        }
        proposed = parsed.spec;
      }
      const region = current.region ?? o.defaultRegion;
      const cost = priceSpecChange(current, proposed, {
        now: o.now,
        defaultRegion: o.defaultRegion,
        ...(o.spotPrices?.[region] ? { spotPrices: o.spotPrices[region] } : {}),
        ...(o.usage ? { usage: o.usage } : {}),
      });
      const monthly = round2(-cost.diffMonthlyUsd);
      if (monthly <= 0 && d.kind !== 'destroy') continue;
      suggestions.push({
        ...d,
        n: 0,
        title: `${LABEL[d.kind]}: saves ${usd(monthly)}/month`,
        monthlyUsd: monthly,
        yearlyUsd: round2(monthly * 12),
        currentMonthlyUsd: cost.previousMonthlyUsd,
        proposedMonthlyUsd: cost.monthlyUsd,
      });
    }
  }
  suggestions.sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.stack.localeCompare(b.stack));
  return { suggestions: suggestions.map((s, i) => ({ ...s, n: i + 1 })), notes };
}
