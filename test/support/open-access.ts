import type { Redis } from 'ioredis';
import { accessPolicyFromConfig } from '../../src/access/access-policy.js';
import { AccessPolicyStore } from '../../src/store/access-policy-store.js';

/** The crew's access policy for in-process rigs: anyone but the requester approves, 60 min window. */
export function openAccess(
  redis: Redis,
  prefix: string,
  over: { approvers?: string[]; approvalTtlMs?: number } = {},
): AccessPolicyStore {
  const rules = {
    approvers: over.approvers ?? [],
    allowSelfApproval: false,
    approvalTtlMs: over.approvalTtlMs ?? 3_600_000,
    strictIdentity: false,
    identityMap: {},
  };
  return new AccessPolicyStore({
    redis,
    prefix,
    fallback: () => accessPolicyFromConfig(rules, { setBy: 'test rig', source: 'operator' }),
  });
}
