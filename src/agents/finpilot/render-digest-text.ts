import type { CostDigest } from '../../../contracts/index.js';
import type { SavingsKpi } from './build-digest.js';
import type { ActualsSection } from './compare-actuals.js';
import type { BudgetSummary, SpendEvent } from './spend-ledger.js';
import { usd } from '../../util/format-usd.js';

const day = (iso: string) => iso.slice(0, 10);

export interface DigestExtras {
  budget?: BudgetSummary;
  changes?: readonly SpendEvent[];
  notes?: readonly string[];
  savingsKpi?: SavingsKpi;
  actuals?: ActualsSection;
}

const pct = (n: number | null) => (n === null ? 'n/a' : `${n > 0 ? '+' : ''}${n.toFixed(1)} %`);

/** The savings suggestions' KPI (the seeds' ≥ 10 % yearly savings, measured). */
export function savingsKpiLines(k: SavingsKpi): string[] {
  return [
    `Savings suggestions: suggested ${usd(k.suggestedUsd)}/month (${k.suggestions}), accepted ${usd(k.acceptedUsd)}/month, realised ${usd(k.realisedUsd)}/month (${k.accepted} planned, ${k.realised} applied; ${usd(k.realisedUsd * 12)}/year, ${k.realisedPct.toFixed(1)} % of spend, target 10 %)`,
  ];
}

/** Estimate against Cost Explorer's bill, per blueprint, and the stacks off by more than 25 %. */
export function actualsLines(a: ActualsSection): string[] {
  if (!a.ok) return [`Actual cost: unavailable: ${a.reason}`];
  const lines = [`Estimate vs bill, ${a.from} → ${a.to} (Cost Explorer, by Stack tag):`];
  if (a.blueprints.length === 0) lines.push('  no applied stacks to compare');
  for (const b of a.blueprints)
    lines.push(
      `  ${b.blueprint}: estimate ${usd(b.estimateUsd)}, actual ${usd(b.actualUsd)}, error ${pct(b.errorPct)}`,
    );
  for (const f of a.flagged)
    lines.push(
      `  ! ${f.stack} is off by more than 25 % (estimate ${usd(f.estimateUsd)}, actual ${usd(f.actualUsd)}, ${pct(f.errorPct)})${f.largestUnpriced ? `; largest unpriced component: ${f.largestUnpriced}` : ''}`,
    );
  return lines;
}

function budgetLine(d: CostDigest, b: BudgetSummary | undefined, ownBudgets: boolean): string {
  const head = `Spend this month ${usd(d.spend)}, forecast to month end ${usd(d.forecast)}`;
  if (d.budget === null)
    return ownBudgets
      ? `${head} (no crew-wide budget, CREW_BUDGET_USD, so no brake here; a stack's own budget, in the table, brakes that stack's plans)`
      : `${head} (no budget set, so no brake)`;
  const pct = d.budget > 0 ? ` (${Math.round((d.forecast / d.budget) * 100)} %)` : '';
  if (!b || b.limitUsd === null) return `${head} of the ${usd(d.budget)} budget${pct}`;
  const state = b.brake
    ? `ENGAGED: new spend is held until the forecast drops under ${usd(b.limitUsd)}`
    : `clear, ${usd(b.headroomUsd ?? 0)} of headroom`;
  return `${head} of the ${usd(d.budget)} budget${pct}. Brake at ${Math.round(b.brakeRatio * 100)} % (${usd(b.limitUsd)}): ${state}`;
}

/** Plain text for Slack and the terminal. */
export function renderDigestText(d: CostDigest, extras: DigestExtras = {}): string {
  const lines = [`Cost digest ${day(d.period.from)} → ${day(d.period.to)}`, ''];
  // A stack's own budget (set by a goal) is a column once any stack has one.
  const ownBudgets = d.stacks.some((s) => s.budget !== undefined);
  if (d.stacks.length === 0) lines.push('No applied stacks.');
  else {
    const w = Math.max(5, ...d.stacks.map((s) => s.stack.length));
    lines.push(
      `${'stack'.padEnd(w)}  ${'monthly'.padStart(10)}  ${'spot saves'.padStart(10)}  ${'off-hours'.padStart(10)}${ownBudgets ? `  ${'own budget'.padStart(16)}` : ''}`,
    );
    for (const s of d.stacks) {
      const b = s.budget;
      const budget = b === undefined ? '—' : `${usd(b.monthlyUsd)} @${Math.round(b.brakeRatio * 100)}%`;
      lines.push(
        `${s.stack.padEnd(w)}  ${usd(s.monthlyUsd).padStart(10)}  ${usd(s.spotSavingsUsd).padStart(10)}  ${usd(s.offHoursSavingsUsd).padStart(10)}${ownBudgets ? `  ${budget.padStart(16)}` : ''}`,
      );
    }
  }
  lines.push(
    '',
    budgetLine(d, extras.budget, ownBudgets),
    `Savings from Spot and off-hours schedules: ${usd(d.savings)}/month`,
  );
  if (extras.savingsKpi) lines.push(...savingsKpiLines(extras.savingsKpi));
  if (extras.actuals) lines.push('', ...actualsLines(extras.actuals));
  if (extras.changes) {
    lines.push('', extras.changes.length ? 'Changes since the last digest:' : 'No cost changes since the last digest.');
    for (const c of extras.changes)
      lines.push(
        `  ${day(c.at)}  ${c.stack}  ${c.kind === 'apply' ? 'applied' : 'rolled back'} → ${usd(c.monthlyUsd)}/month  (${c.planId})`,
      );
  }
  if (extras.notes?.length) lines.push('', ...extras.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}

/** The chart's footer: the savings KPI and the estimate vs bill per blueprint (or why it is missing). */
export function digestFooter(extras: DigestExtras): string[] {
  const out: string[] = [];
  const k = extras.savingsKpi;
  if (k)
    out.push(
      `Suggested ${usd(k.suggestedUsd)}/month, accepted ${usd(k.acceptedUsd)}, realised ${usd(k.realisedUsd)} (${k.realisedPct.toFixed(1)} % of spend, target 10 %)`,
    );
  const a = extras.actuals;
  if (a && !a.ok) out.push(`Actual cost unavailable: ${a.reason}`);
  if (a?.ok) {
    for (const b of a.blueprints)
      out.push(`${b.blueprint}: estimate ${usd(b.estimateUsd)}, actual ${usd(b.actualUsd)}, error ${pct(b.errorPct)}`);
    for (const f of a.flagged)
      out.push(`! ${f.stack ?? ''} off by ${pct(f.errorPct)}${f.largestUnpriced ? `: ${f.largestUnpriced}` : ''}`);
  }
  return out;
}
