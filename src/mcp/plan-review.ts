import { rollbackPreviewOf } from '../plan/describe-rollback.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanReview } from './mcp-schemas.js';

/** Said with every review: no MCP tool approves, so a person has to, elsewhere. */
export const HUMAN_APPROVAL = 'a human must approve this in Slack or with crew approve';

/** What `crew rollback` would do once this plan is applied; known once the plan holds its stack. */
function rollbackPreview(plan: PlanRecord): PlanReview['rollbackPreview'] {
  if (plan.baseVersion === undefined || !plan.stack) return undefined;
  const effect =
    plan.baseVersion === 0
      ? `stack ${plan.stack} has no earlier version: a rollback destroys what this plan creates`
      : `a rollback restores stack ${plan.stack} to version ${plan.baseVersion} (its parameters re-planned and applied)`;
  // Sentinel's reverse of the plan: counts, cost after a rollback, what it cannot undo.
  const r = rollbackPreviewOf(plan);
  return {
    toVersion: plan.baseVersion,
    effect: r ? `${effect}; ${r.summary}` : effect,
    ...(r ? { changes: r.changes, monthlyUsd: r.monthlyUsd, irreversible: r.irreversible } : {}),
  };
}

function approvalLine(plan: PlanRecord): string {
  if (plan.state === 'WAIT_FOR_APPROVE')
    return `${HUMAN_APPROVAL}, as someone other than ${plan.requestedBy}, before ${plan.expiresAt ?? 'the approval window closes'}`;
  if (['DRAFTING', 'PENDING', 'IN_PROGRESS', 'VALIDATING', 'READY_FOR_APPLY'].includes(plan.state))
    return `still being planned; once reviewed, ${HUMAN_APPROVAL}. plan_status shows where it is`;
  return `plan ${plan.id} is ${plan.state}: there is nothing to approve`;
}

/** The review of one plan as plan_infrastructure returns it: changes, findings, cost, rollback, next step. */
export function planReview(plan: PlanRecord, resources: PlanReview['changes']['resources']): PlanReview {
  const v = plan.validation;
  const rollback = rollbackPreview(plan);
  return {
    planId: plan.id,
    state: plan.state,
    stack: plan.stack ?? null,
    goal: plan.goal,
    requestedBy: plan.requestedBy,
    planSha256: plan.planSha256 ?? null,
    ...(plan.expiresAt ? { expiresAt: plan.expiresAt } : {}),
    changes: { summary: plan.summary ?? null, resources },
    verdict: v?.verdict ?? null,
    findings: v?.findings ?? [],
    cost: v?.cost ?? null,
    budget: v?.budget ?? null,
    ...(rollback ? { rollbackPreview: rollback } : {}),
    ...(plan.reviewNote ? { reviewNote: plan.reviewNote } : {}),
    ...(plan.blocked ? { blocked: plan.blocked } : {}),
    ...(plan.failure ? { failure: plan.failure } : {}),
    ...(plan.queuedBehind ? { queuedBehind: plan.queuedBehind } : {}),
    approval: approvalLine(plan),
  };
}
