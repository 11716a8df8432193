import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/access/authz/authorize.js';
import { AUTHZ_ACTIONS } from '../../../src/access/authz/authz-types.js';
import { stackAttributes, type AuthzInput, type StackAttributes } from '../../../src/access/authz/build-authz-input.js';
import { decideBuiltIn } from '../../../src/access/authz/decide-built-in.js';
import { decideCedar } from '../../../src/access/authz/decide-cedar.js';
import { DEFAULT_CEDAR_POLICY, DEFAULT_CEDAR_POLICY_IDS } from '../../../src/access/authz/default-policy.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';

// The built-in policy is decided by decide-built-in.ts instead of Cedar; Cedar itself is the
// judge of whether the two agree, on every combination of what the policy can see.

// What a stack without a plan shows, and one with every attribute the policy ignores set.
const EMPTY: StackAttributes = stackAttributes({});
const FULL: StackAttributes = {
  ...EMPTY,
  planId: 'p-1234',
  state: 'WAIT_FOR_APPROVE',
  blueprint: 'aws-spot-ollama',
  target: 'aws',
  region: 'eu-west-1',
  riskLevel: 'high',
  destructive: true,
  monthlyUsd: 9_999,
  monthlyUsdChange: 5_000,
  environment: 'production',
};

/** Every input the built-in policy could tell apart, and variations of what it ignores. */
function* everyInput(): Generator<AuthzInput> {
  const groupSets = [[], ['approvers'], ['contractors'], ['approvers', 'contractors']];
  const requesters = [undefined, 'alice', 'bob'];
  for (const action of AUTHZ_ACTIONS)
    for (const groups of groupSets)
      for (const requestedBy of requesters)
        for (const allowSelfApproval of [false, true])
          for (const approversListed of [false, true])
            for (const attributes of [EMPTY, FULL])
              yield {
                principal: { id: 'alice', groups },
                ...(requestedBy ? { requester: { id: requestedBy, groups: [] } } : {}),
                action,
                resource: { id: 'web-prod', attributes: { ...attributes, ...(requestedBy ? { requestedBy } : {}) } },
                context: { allowSelfApproval, approversListed },
              };
}

describe('the built-in policy decided without Cedar', () => {
  it('gives Cedar’s decision and deciding policies for every combination the policy can see', () => {
    let n = 0;
    let allowed = 0;
    for (const input of everyInput()) {
      const cedar = decideCedar(DEFAULT_CEDAR_POLICY, DEFAULT_CEDAR_POLICY_IDS, input);
      const built = decideBuiltIn(input);
      const what = JSON.stringify(input);
      expect(cedar.errors, what).toEqual([]);
      expect(built.allowed, what).toBe(cedar.allowed);
      expect([...built.policies].sort(), what).toEqual([...cedar.policies].sort());
      n += 1;
      if (built.allowed) allowed += 1;
    }
    // 7 actions × 4 group sets × 3 requesters × 2 × 2 × 2; both answers occur.
    expect(n).toBe(672);
    expect(allowed).toBeGreaterThan(100);
    expect(n - allowed).toBeGreaterThan(100);
  });

  it('is tied to the policy text it was proven against', () => {
    // A changed built-in policy must change decide-built-in.ts and the combinations above with it.
    expect(createHash('sha256').update(DEFAULT_CEDAR_POLICY).digest('hex')).toBe(
      '4d4e195c8bc8d0e0025fb59156a408a5eee1b4c0e403374dcd82834a2a0db0be',
    );
  });

  it('answers authorize() for the built-in policy; a site’s own Cedar file, even the same text, goes to Cedar', async () => {
    const plan = {
      id: 'p-1',
      state: 'WAIT_FOR_APPROVE',
      goal: 'x',
      requestedBy: 'alice',
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
      stack: 'web-prod',
    } as PlanRecord;
    const rules = { approvers: ['alice', 'bob'], allowSelfApproval: false };
    const builtIn = await authorize(rules, { by: 'alice', action: 'approve', plan });
    expect(builtIn).toMatchObject({ allowed: false, engine: 'cedar', source: 'built-in', policies: ['four-eyes'] });
    const site = await authorize(
      { ...rules, authz: { cedar: { text: DEFAULT_CEDAR_POLICY, source: '/etc/crew/crew.cedar' } } },
      { by: 'alice', action: 'approve', plan },
    );
    expect(site).toMatchObject({ allowed: false, source: '/etc/crew/crew.cedar', policies: ['four-eyes'] });
    expect(site.refusal).toContain('(Cedar policy /etc/crew/crew.cedar)');
  });
});
