import type { AuthzInput } from './build-authz-input.js';
import type { CedarAnswer } from './decide-cedar.js';

/**
 * The built-in Cedar policy (default-policy.ts), decided as Cedar decides it, without loading
 * Cedar. Its seven rules read only the action, whether the person is in `Group::"approvers"`,
 * whether the stack has a requester and it is this person, and `context.allowSelfApproval`: a
 * test asks Cedar itself and this every combination of those (and of what the rules ignore) and
 * requires the same decision and the same deciding policies, and pins the policy text, so a
 * change to one without the other fails. A command that decides once and exits (`crew plan`,
 * `crew approve`) is spared compiling Cedar's WebAssembly (about 0.1 s); a site's own policy
 * file is always decided by Cedar.
 */
export function decideBuiltIn(input: AuthzInput): CedarAnswer {
  const action = input.action;
  const approver = input.principal.groups.includes('approvers');
  const requestedBy = input.resource.attributes.requestedBy;
  const own = requestedBy !== undefined && requestedBy === input.principal.id;
  // forbid wins over every permit (four-eyes)
  if (action === 'approve' && own && !input.context.allowSelfApproval)
    return { allowed: false, policies: ['four-eyes'], errors: [] };
  const permits: string[] = [];
  if (action === 'plan' || action === 'check' || action === 'schedule') permits.push('anyone-plans');
  if (approver && (action === 'approve' || action === 'reject')) permits.push('approvers-decide');
  if (own && action === 'reject') permits.push('requester-withdraws');
  if (approver && action === 'rollback') permits.push('rollback-approvers');
  if (own && action === 'rollback') permits.push('rollback-requester');
  if (approver && action === 'unlock') permits.push('unlock-approvers');
  return { allowed: permits.length > 0, policies: permits, errors: [] };
}
