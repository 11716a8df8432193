import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/access/authz/authorize.js';
import { buildAuthzInput, cedarRequest } from '../../../src/access/authz/build-authz-input.js';
import { DEFAULT_CEDAR_POLICY, DEFAULT_CEDAR_POLICY_IDS } from '../../../src/access/authz/default-policy.js';
import { checkCedarPolicy } from '../../../src/config/check-cedar-policy.js';
import { checkAdminAccess, checkRollbackAccess } from '../../../src/access/check-access.js';
import { checkApproval } from '../../../src/conductor/check-approval.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import type { PlanSpec, ValidationResult } from '../../../contracts/index.js';

const sha = 'a'.repeat(64);
const plan: PlanRecord = {
  id: 'p-1234',
  state: 'WAIT_FOR_APPROVE',
  goal: 'x',
  requestedBy: 'Alice',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  planSha256: sha,
  stack: 'web-prod',
};
const now = new Date('2026-11-21T10:30:00.000Z');

describe('the built-in Cedar policy', () => {
  it('is valid against the crew entity model and names its policies', () => {
    const c = checkCedarPolicy(DEFAULT_CEDAR_POLICY);
    expect(c).toMatchObject({ ok: true });
    expect(c.ok && c.ids).toEqual([
      'anyone-plans',
      'approvers-decide',
      'requester-withdraws',
      'four-eyes',
      'rollback-approvers',
      'rollback-requester',
      'unlock-approvers',
    ]);
    // Deciding with the built-in policy names its rules from this list, without validating it again.
    expect(c.ok && c.ids).toEqual(DEFAULT_CEDAR_POLICY_IDS);
  });

  // Every combination of approver list, self-approval, person and action: the same yes or no,
  // and the same words, as the hard-coded checks the crew has always used.
  const approverLists = [[], ['bob'], ['bob', 'alice'], ['BOB ', 'carol']];
  const people = ['alice', 'ALICE', 'bob', 'Bob', 'carol', 'mallory'];
  for (const approvers of approverLists) {
    for (const allowSelfApproval of [false, true]) {
      it(`decides as the hard-coded rules do: approvers [${approvers.join(',')}], self-approval ${allowSelfApproval}`, async () => {
        const rules = { approvers, allowSelfApproval };
        for (const by of people) {
          for (const decision of ['approve', 'reject'] as const) {
            const legacy = checkApproval(plan, { decision, by, planSha256: sha, now }, rules);
            const verdict = await authorize(rules, { by, action: decision, plan });
            const viaPolicy = checkApproval(plan, { decision, by, planSha256: sha, now }, rules, verdict);
            expect(viaPolicy, `${decision} by ${by}`).toEqual(legacy);
          }
          const rollback = await authorize(rules, { by, action: 'rollback', plan });
          const legacyRollback = checkRollbackAccess(rules, plan, by);
          expect({ allowed: rollback.allowed, refusal: rollback.refusal }, `rollback by ${by}`).toEqual({
            allowed: legacyRollback === undefined,
            refusal: legacyRollback,
          });
          const unlock = await authorize(rules, { by, action: 'unlock', stack: 'web-prod' });
          const legacyUnlock = checkAdminAccess(rules, by, 'unlock stacks');
          expect({ allowed: unlock.allowed, refusal: unlock.refusal }, `unlock by ${by}`).toEqual({
            allowed: legacyUnlock === undefined,
            refusal: legacyUnlock,
          });
          for (const action of ['plan', 'check', 'schedule'] as const)
            expect((await authorize(rules, { by, action, plan })).allowed).toBe(true);
        }
      });
    }
  }

  it('names the deciding policies', async () => {
    const rules = { approvers: ['bob'], allowSelfApproval: false };
    expect(await authorize(rules, { by: 'alice', action: 'approve', plan })).toMatchObject({
      allowed: false,
      engine: 'cedar',
      source: 'built-in',
      policies: ['four-eyes'],
    });
    expect(await authorize(rules, { by: 'bob', action: 'approve', plan })).toMatchObject({
      allowed: true,
      policies: ['approvers-decide'],
    });
    expect(await authorize(rules, { by: 'alice', action: 'rollback', plan })).toMatchObject({
      allowed: true,
      policies: ['rollback-requester'],
    });
  });
});

describe('the entities a policy sees', () => {
  const spec = {
    blueprint: 'aws-spot-ollama',
    stack: 'gpu-lab',
    target: 'aws',
    region: 'eu-west-1',
    params: { tags: { environment: 'staging' } },
    risk: { destructive: false, level: 'medium' },
  } as unknown as PlanSpec;
  const validation = {
    cost: { monthlyUsd: 412.3, previousMonthlyUsd: 100, diffMonthlyUsd: 312.3 },
  } as unknown as ValidationResult;
  const full: PlanRecord = {
    ...plan,
    stack: 'gpu-lab',
    spec,
    validation,
    summary: { create: 1, update: 0, replace: 1, delete: 0, noop: 0 },
  };

  it('builds the stack from the plan record: blueprint, target, region, risk, cost and its change, environment', () => {
    const input = buildAuthzInput(
      { approvers: ['Bob'], allowSelfApproval: false, authz: { groups: { Contractors: ['carol'] } } },
      { by: ' BOB ', action: 'approve', plan: full },
    );
    expect(input).toEqual({
      principal: { id: 'bob', groups: ['approvers'] },
      requester: { id: 'alice', groups: [] },
      action: 'approve',
      resource: {
        id: 'gpu-lab',
        attributes: {
          planId: 'p-1234',
          state: 'WAIT_FOR_APPROVE',
          blueprint: 'aws-spot-ollama',
          target: 'aws',
          region: 'eu-west-1',
          riskLevel: 'medium',
          destructive: true,
          monthlyUsd: 413,
          monthlyUsdChange: 313,
          environment: 'staging',
          requestedBy: 'alice',
        },
      },
      context: { allowSelfApproval: false, approversListed: true },
    });
    expect(
      buildAuthzInput(
        { approvers: [], allowSelfApproval: false, authz: { groups: { Contractors: ['Carol'] } } },
        { by: 'carol', action: 'approve', plan },
      ).principal,
    ).toEqual({
      id: 'carol',
      groups: ['approvers', 'contractors'],
    });
  });

  it('gives Cedar people in groups and a stack whose requester is a person', () => {
    const r = cedarRequest(
      buildAuthzInput({ approvers: ['bob'], allowSelfApproval: true }, { by: 'bob', action: 'rollback', plan: full }),
    );
    expect(r.principal).toEqual({ type: 'Person', id: 'bob' });
    expect(r.action).toEqual({ type: 'Action', id: 'rollback' });
    expect(r.resource).toEqual({ type: 'Stack', id: 'gpu-lab' });
    expect(r.entities).toEqual([
      { uid: { type: 'Person', id: 'bob' }, attrs: {}, parents: [{ type: 'Group', id: 'approvers' }] },
      { uid: { type: 'Person', id: 'alice' }, attrs: {}, parents: [] },
      {
        uid: { type: 'Stack', id: 'gpu-lab' },
        attrs: expect.objectContaining({ target: 'aws', requestedBy: { __entity: { type: 'Person', id: 'alice' } } }),
        parents: [],
      },
    ]);
  });

  it('a stack without a plan (unlocking a free stack) has no requester and zero costs', () => {
    const input = buildAuthzInput(
      { approvers: [], allowSelfApproval: false },
      { by: 'bob', action: 'unlock', stack: 'dev' },
    );
    expect(input.resource).toEqual({
      id: 'dev',
      attributes: {
        planId: '',
        state: '',
        blueprint: '',
        target: '',
        region: '',
        riskLevel: '',
        destructive: false,
        monthlyUsd: 0,
        monthlyUsdChange: 0,
        environment: '',
      },
    });
  });
});
