/**
 * The crew's rules when no CREW_AUTHZ_POLICY is set: exactly the approver list, four-eyes and
 * the rollback/unlock rules. `Group::"approvers"` holds every person when CREW_APPROVERS is empty.
 */
export const DEFAULT_CEDAR_POLICY = `// Anyone may ask for a plan, check or schedule; the review decides what runs.
@id("anyone-plans")
permit (principal, action in [Action::"plan", Action::"check", Action::"schedule"], resource);

// Approvers approve and reject (everyone is an approver when CREW_APPROVERS is empty).
@id("approvers-decide")
permit (principal in Group::"approvers", action in [Action::"approve", Action::"reject"], resource);

// The requester may withdraw their own plan.
@id("requester-withdraws")
permit (principal, action == Action::"reject", resource)
when { resource has requestedBy && principal == resource.requestedBy };

// Four-eyes: a different person approves, unless CREW_ALLOW_SELF_APPROVAL.
@id("four-eyes")
forbid (principal, action == Action::"approve", resource)
when { resource has requestedBy && principal == resource.requestedBy }
unless { context.allowSelfApproval };

// Rollback changes infrastructure too: the plan's requester or an approver.
@id("rollback-approvers")
permit (principal in Group::"approvers", action == Action::"rollback", resource);

@id("rollback-requester")
permit (principal, action == Action::"rollback", resource)
when { resource has requestedBy && principal == resource.requestedBy };

// Freeing a locked stack: approvers only.
@id("unlock-approvers")
permit (principal in Group::"approvers", action == Action::"unlock", resource);
`;

/**
 * The ids of the built-in policy's rules, in order: what checkCedarPolicy reads from it (a test
 * keeps the two equal), so deciding with the built-in policy does not first validate it.
 */
export const DEFAULT_CEDAR_POLICY_IDS: readonly string[] = [
  'anyone-plans',
  'approvers-decide',
  'requester-withdraws',
  'four-eyes',
  'rollback-approvers',
  'rollback-requester',
  'unlock-approvers',
];
