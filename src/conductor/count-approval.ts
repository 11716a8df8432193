import { identityKey } from '../access/normalize-identity.js';
import { refuse, type Refusal } from '../errors.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanStore } from '../store/plan-store.js';
import type { ConductorContext } from './conductor-context.js';

export type Counted = { ok: true; have: number; need: number } | Refusal<'refused'>;

/** How many approvals this plan file needs (fixed when its review opened; one for older records). */
export function neededApprovals(plan: Pick<PlanRecord, 'approvalsRequired'>): number {
  return plan.approvalsRequired ?? 1;
}

/** Pure: the refusal for someone who already approved this plan file. */
export function alreadyApproved(plan: PlanRecord, by: string, have: number): string {
  const need = neededApprovals(plan);
  return `${by} already approved plan ${plan.id}'s plan file ${plan.planSha256?.slice(0, 12) ?? ''}; it needs ${need} approvals from different people (${have} so far)`;
}

/** Whether `by` has approved this plan file already (a repeat never counts twice). */
export async function hasApproved(plans: PlanStore, plan: PlanRecord, by: string): Promise<number | undefined> {
  const approvals = await plans.approvals(plan.id, plan.planSha256);
  return approvals.some((a) => identityKey(a.by) === identityKey(by)) ? approvals.length : undefined;
}

/**
 * Records one approval of the plan file under review and counts the file's approvals.
 * Approvals of an older plan file never count: only those bound to the current sha256 do.
 * A repeat of the same decision (a redelivery) is counted once and accepted again.
 */
export async function countApproval(
  c: ConductorContext,
  plan: PlanRecord,
  d: { by: string; planSha256: string; decisionId: string },
): Promise<Counted> {
  const plans = c.options.plans;
  const approval = { by: d.by, at: c.now().toISOString(), planSha256: d.planSha256, decisionId: d.decisionId };
  const added = await plans.addApproval(plan.id, approval, identityKey(d.by));
  const approvals = await plans.approvals(plan.id, d.planSha256);
  if (!added) {
    const mine = approvals.find((a) => identityKey(a.by) === identityKey(d.by));
    if (mine?.decisionId !== d.decisionId) return refuse('refused', alreadyApproved(plan, d.by, approvals.length));
  }
  return { ok: true, have: approvals.length, need: neededApprovals(plan) };
}
