import type { AccessRules } from './access-policy.js';
import { describeApprovers } from './access-policy.js';
import { includesIdentity, sameIdentity } from './normalize-identity.js';

// Pure checks of who may do what, the same for every surface. Each returns a refusal for the
// person, or undefined when allowed.

type Plan = { id: string; requestedBy: string };

export function isApprover(rules: Pick<AccessRules, 'approvers'>, who: string): boolean {
  return rules.approvers.length === 0 || includesIdentity(rules.approvers, who);
}

/** Rollback changes infrastructure too: the plan's requester or an approver (anyone when no approvers are set). */
export function checkRollbackAccess(
  rules: Pick<AccessRules, 'approvers'>,
  plan: Plan,
  who: string,
): string | undefined {
  if (isApprover(rules, who) || sameIdentity(plan.requestedBy, who)) return undefined;
  return `${who} may not roll back plan ${plan.id}: only its requester (${plan.requestedBy}) or an approver (${describeApprovers(rules.approvers)}) may`;
}

/** Admin actions (unlocking a stack): approvers only, when approvers are set. */
export function checkAdminAccess(rules: Pick<AccessRules, 'approvers'>, who: string, what: string): string | undefined {
  if (isApprover(rules, who)) return undefined;
  return `${who} is not an approver; only approvers (${describeApprovers(rules.approvers)}) may ${what}`;
}
