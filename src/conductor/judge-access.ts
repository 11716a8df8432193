import type { AuthzRequest, AuthzVerdict } from '../access/authz/authz-types.js';
import type { AuthzRules } from '../access/authz/build-authz-input.js';
import { authorize } from '../access/authz/authorize.js';
import type { PlanStore } from '../store/plan-store.js';

/**
 * Asks the crew's policy engine whether this person may do this, and writes the decision
 * (allow or deny, the engine, the deciding policies) to the plan's audit when there is a plan.
 */
export async function judgeAccess(
  plans: Pick<PlanStore, 'recordPolicyDecision'>,
  rules: AuthzRules,
  request: AuthzRequest,
  planId = request.plan?.id,
): Promise<AuthzVerdict> {
  const verdict = await authorize(rules, request);
  if (planId) await plans.recordPolicyDecision(planId, policyDecisionRow(request.by, request.action, verdict));
  return verdict;
}

/** A verdict as the plan's audit keeps it. */
export function policyDecisionRow(by: string, action: string, verdict: AuthzVerdict) {
  return {
    by,
    action,
    decision: verdict.allowed ? ('allow' as const) : ('deny' as const),
    engine: verdict.engine,
    source: verdict.source,
    policies: verdict.policies,
    ...(verdict.refusal ? { refusal: verdict.refusal } : {}),
    ...(verdict.errors.length ? { errors: verdict.errors } : {}),
  };
}
