import { describeApprovers } from '../access-policy.js';
import type { AuthzRequest, AuthzVerdict } from './authz-types.js';
import { askOpa } from './ask-opa.js';
import { buildAuthzInput, type AuthzRules } from './build-authz-input.js';
import { checkCedarPolicy } from '../../config/check-cedar-policy.js';
import { DEFAULT_CEDAR_POLICY, DEFAULT_CEDAR_POLICY_IDS } from './default-policy.js';
import { decideBuiltIn } from './decide-built-in.js';
import { decideCedar } from './decide-cedar.js';

const idsByText = new Map<string, readonly string[]>([[DEFAULT_CEDAR_POLICY, DEFAULT_CEDAR_POLICY_IDS]]);

/** The policy ids of a published text (validated where it was read; parsed once here). */
function idsOf(text: string): readonly string[] {
  let ids = idsByText.get(text);
  if (!ids) {
    const c = checkCedarPolicy(text);
    ids = c.ok ? c.ids : [];
    idsByText.set(text, ids);
  }
  return ids;
}

function what(request: AuthzRequest): string {
  const plan = request.plan ? `plan ${request.plan.id}` : `stack ${request.stack ?? '?'}`;
  switch (request.action) {
    case 'rollback':
      return `roll back ${plan}`;
    case 'unlock':
      return `unlock stack ${request.stack ?? request.plan?.stack ?? '?'}`;
    case 'plan':
      return `plan${request.stack ? ` on stack ${request.stack}` : ''}`;
    default:
      return `${request.action} ${plan}`;
  }
}

/** The built-in policy's refusals, in the words the crew has always used. */
function builtInRefusal(rules: AuthzRules, request: AuthzRequest, policies: readonly string[]): string {
  const { by, plan } = request;
  if (request.action === 'approve' && plan && policies.includes('four-eyes'))
    return `${by} requested plan ${plan.id}; a different person must approve it (four-eyes rule)`;
  if ((request.action === 'approve' || request.action === 'reject') && plan)
    return `${by} is not an approver (approvers: ${rules.approvers.join(', ')})`;
  if (request.action === 'rollback' && plan)
    return `${by} may not roll back plan ${plan.id}: only its requester (${plan.requestedBy}) or an approver (${describeApprovers(rules.approvers)}) may`;
  if (request.action === 'unlock')
    return `${by} is not an approver; only approvers (${describeApprovers(rules.approvers)}) may unlock stacks`;
  return `${by} may not ${what(request)}`;
}

/**
 * May this person do this? Asks the crew's policy engine: OPA when the published rules name
 * it (unreachable: deny, fail closed), else Cedar with the published policy text or the
 * built-in one. The verdict names the deciding policies and, when denied, says why.
 */
export async function authorize(rules: AuthzRules, request: AuthzRequest): Promise<AuthzVerdict> {
  const input = buildAuthzInput(rules, request);
  const opaUrl = rules.authz?.opaUrl;
  if (opaUrl) {
    const a = await askOpa(opaUrl, input);
    if (!a.reached) {
      return {
        allowed: false,
        engine: 'opa',
        source: opaUrl,
        policies: [],
        refusal: `${request.by} may not ${what(request)}: OPA at ${opaUrl} did not answer (${a.error}); every decision is denied until it does (fail closed)`,
        errors: [a.error],
      };
    }
    const policies = a.reasons.length ? a.reasons : [`opa:${new URL(opaUrl).pathname.replace(/^\/v1\/data\//, '')}`];
    return {
      allowed: a.allowed,
      engine: 'opa',
      source: opaUrl,
      policies,
      ...(a.allowed
        ? {}
        : { refusal: `${request.by} may not ${what(request)}: denied by OPA policy ${policies.join(', ')}` }),
      errors: [],
    };
  }
  const custom = rules.authz?.cedar;
  // The built-in policy by its compiled form (decide-built-in.ts: the same answers, proven by test).
  const a = custom ? decideCedar(custom.text, idsOf(custom.text), input) : decideBuiltIn(input);
  const source = custom?.source ?? 'built-in';
  if (a.allowed) return { allowed: true, engine: 'cedar', source, policies: a.policies, errors: a.errors };
  const refusal = custom
    ? `${request.by} may not ${what(request)}: ${a.policies.length ? `denied by policy ${a.policies.join(', ')}` : 'no policy permits it'} (Cedar policy ${source})${a.errors.length ? `; errors: ${a.errors.join('; ')}` : ''}`
    : builtInRefusal(rules, request, a.policies);
  return { allowed: false, engine: 'cedar', source, policies: a.policies, refusal, errors: a.errors };
}
