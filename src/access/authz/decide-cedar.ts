import { createHash } from 'node:crypto';
import type { AuthzInput } from './build-authz-input.js';
import { cedarRequest } from './build-authz-input.js';
import { loadCedar } from '../../config/load-cedar.js';

export interface CedarAnswer {
  allowed: boolean;
  /** Ids of the deciding policies (their `@id`, else `policy<N>`). */
  policies: string[];
  errors: string[];
}

// Policy sets parsed once per text: evaluation then costs only the request.
const prepared = new Map<string, string>();

function prepare(text: string): string {
  const known = prepared.get(text);
  if (known) return known;
  const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const r = loadCedar().preparsePolicySet(id, { staticPolicies: text });
  if (r.type === 'failure') throw new Error(r.errors.map((e) => e.message).join('; '));
  prepared.set(text, id);
  return id;
}

/**
 * Cedar's decision on one question. `ids` names the policies of `text` in order (from
 * checkCedarPolicy). A policy text that does not parse denies everything, with the reason.
 */
export function decideCedar(text: string, ids: readonly string[], input: AuthzInput): CedarAnswer {
  let setId: string;
  try {
    setId = prepare(text);
  } catch (err) {
    return { allowed: false, policies: [], errors: [`the Cedar policy does not parse: ${(err as Error).message}`] };
  }
  const r = loadCedar().statefulIsAuthorized({ ...cedarRequest(input), preparsedPolicySetId: setId });
  if (r.type === 'failure') return { allowed: false, policies: [], errors: r.errors.map((e) => e.message) };
  const name = (pid: string) => {
    const n = /^policy(\d+)$/.exec(pid);
    return (n && ids[Number(n[1])]) || pid;
  };
  return {
    allowed: r.response.decision === 'allow',
    policies: r.response.diagnostics.reason.map(name),
    errors: r.response.diagnostics.errors.map((e) => `${name(e.policyId)}: ${e.error.message}`),
  };
}
