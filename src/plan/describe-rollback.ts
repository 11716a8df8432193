import type { RollbackPreview } from '../../contracts/index.js';
import type { PlanRecord } from './plan-record.js';
import { signedUsd, usd } from '../util/format-usd.js';

/** The rollback preview as status shows it: Sentinel's reverse of the plan, and the version it returns to. */
export type RollbackPreviewView = RollbackPreview & {
  /** The stack version a rollback restores; 0: there is none, a rollback destroys what the plan creates. */
  toVersion: number;
  /** Change of the monthly cost a rollback brings, against this plan's. */
  diffMonthlyUsd: number;
  summary: string;
};

/** What rolling this plan back would do; undefined until Sentinel has priced the plan. */
export function rollbackPreviewOf(
  plan: Pick<PlanRecord, 'stack' | 'baseVersion' | 'validation'>,
): RollbackPreviewView | undefined {
  const p = plan.validation?.rollbackPreview;
  if (!p) return undefined;
  const toVersion = plan.baseVersion ?? 0;
  const c = p.changes;
  const diff = Math.round((p.monthlyUsd - (plan.validation?.cost.monthlyUsd ?? 0)) * 100) / 100;
  const what =
    toVersion === 0
      ? `destroys what this plan creates (${c.delete} to destroy)`
      : `returns stack ${plan.stack ?? ''} to version ${toVersion}: ${c.create} to add, ${c.update} to change, ${c.replace} to replace, ${c.delete} to destroy`;
  const cost = `${usd(p.monthlyUsd)}/month (${signedUsd(diff)})`;
  const undoable = p.irreversible.length ? `; ${p.irreversible.length} cannot be undone` : '';
  return { ...p, toVersion, diffMonthlyUsd: diff, summary: `if you roll this back: ${what}; ${cost}${undoable}` };
}

/** The preview as lines for people: the summary, then each thing that cannot be undone. */
export function rollbackPreviewLines(plan: Pick<PlanRecord, 'stack' | 'baseVersion' | 'validation'>): string[] {
  const v = rollbackPreviewOf(plan);
  if (!v) return [];
  return [v.summary, ...v.irreversible.map((i) => `cannot be undone: ${i.label}`)];
}
