import type { AccessRules } from '../access/access-policy.js';
import type { Denied } from '../errors.js';
import { includesIdentity, sameIdentity } from '../access/normalize-identity.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { AuthzVerdict } from '../access/authz/authz-types.js';

/** The part of the crew's access policy an approval is judged on. */
export type ApprovalPolicy = Pick<AccessRules, 'approvers' | 'allowSelfApproval'>;

export interface ApprovalAttempt {
  decision: 'approve' | 'reject';
  by: string;
  planSha256: string;
  now: Date;
}

/** A pure judgement: the caller attaches the refusal code. */
export type ApprovalCheck = { ok: true } | (Denied & { expired?: boolean });

/** Why a decision on a plan that no longer waits cannot count: who got there first, in words. */
export function explainNotWaiting(plan: PlanRecord, verb: string): string {
  const base = `plan ${plan.id} is ${plan.state}: only a plan waiting for approval can be ${verb}`;
  if (
    plan.approvedBy &&
    (plan.state === 'APPLYING' || plan.state === 'DONE' || plan.state === 'ROLLBACK' || plan.state === 'ROLLED_BACK')
  ) {
    return `${base}; ${plan.approvedBy} approved it first`;
  }
  if (plan.state === 'REJECTED' && plan.rejectedBy) return `${base}; ${plan.rejectedBy} rejected it first`;
  return base;
}

/**
 * Pure: may this person approve or reject this plan now? Refusals are for the person,
 * in their words. Identities compare case-folded (NFKC), so a respelled name is the same
 * person. Rejection needs no four-eyes: anyone allowed to approve may also stop a plan,
 * and the requester may withdraw their own.
 */
export function checkApproval(
  plan: PlanRecord,
  attempt: ApprovalAttempt,
  policy: ApprovalPolicy,
  /** The policy engine's verdict on who may decide; replaces the approver and four-eyes checks below. */
  verdict?: Pick<AuthzVerdict, 'allowed' | 'refusal'>,
): ApprovalCheck {
  const verb = attempt.decision === 'approve' ? 'approved' : 'rejected';
  if (plan.state !== 'WAIT_FOR_APPROVE') return { ok: false, refusal: explainNotWaiting(plan, verb) };
  if (plan.expiresAt && attempt.now.getTime() > Date.parse(plan.expiresAt)) {
    return {
      ok: false,
      expired: true,
      refusal: `plan ${plan.id}'s approval window closed at ${plan.expiresAt}; run the plan again for a fresh review`,
    };
  }
  if (verdict) {
    if (!verdict.allowed)
      return { ok: false, refusal: verdict.refusal ?? `${attempt.by} may not decide on plan ${plan.id}` };
    if (attempt.decision === 'reject') return { ok: true };
    return checkSha(plan, attempt);
  }
  const isRequester = sameIdentity(attempt.by, plan.requestedBy);
  const listed = policy.approvers.length === 0 || includesIdentity(policy.approvers, attempt.by);
  if (attempt.decision === 'reject') {
    if (isRequester || listed) return { ok: true };
    return { ok: false, refusal: `${attempt.by} is not an approver (approvers: ${policy.approvers.join(', ')})` };
  }
  if (isRequester && !policy.allowSelfApproval) {
    return {
      ok: false,
      refusal: `${attempt.by} requested plan ${plan.id}; a different person must approve it (four-eyes rule)`,
    };
  }
  if (!listed)
    return { ok: false, refusal: `${attempt.by} is not an approver (approvers: ${policy.approvers.join(', ')})` };
  return checkSha(plan, attempt);
}

function checkSha(plan: PlanRecord, attempt: ApprovalAttempt): ApprovalCheck {
  if (!plan.planSha256 || attempt.planSha256 !== plan.planSha256) {
    return {
      ok: false,
      refusal: `the plan file changed since it was reviewed (approved ${attempt.planSha256.slice(0, 12)}, current ${(plan.planSha256 ?? 'none').slice(0, 12)}); review it again`,
    };
  }
  return { ok: true };
}
