import type { PlanRecord } from './plan-record.js';

/** How many resources the plan deletes or replaces (its summary's counts). */
export function destroyedCount(plan: Pick<PlanRecord, 'summary'>): number {
  return (plan.summary?.delete ?? 0) + (plan.summary?.replace ?? 0);
}

/** A plan that destroys or replaces anything, or that Atlas judged destructive. */
export function isDestructive(plan: Pick<PlanRecord, 'spec' | 'summary'>): boolean {
  return destroyedCount(plan) > 0 || plan.spec?.risk.destructive === true;
}
