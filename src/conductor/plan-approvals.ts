import { rollbackPreviewOf } from '../plan/describe-rollback.js';
import { planJson } from '../plan/render-plan.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanStore } from '../store/plan-store.js';

/** A plan as JSON with the approvals of its current plan file, how many it needs, and its rollback preview. */
export async function planWithApprovals(
  plans: Pick<PlanStore, 'approvals'>,
  plan: PlanRecord,
): Promise<Record<string, unknown>> {
  const rollback = rollbackPreviewOf(plan);
  const approvals = plan.planSha256 ? await plans.approvals(plan.id, plan.planSha256) : [];
  return {
    ...planJson(plan),
    approvals: approvals.map(({ by, at, planSha256 }) => ({ by, at, planSha256 })),
    approvalsRequired: plan.approvalsRequired ?? 1,
    ...(rollback ? { rollbackPreview: rollback } : {}),
  };
}
