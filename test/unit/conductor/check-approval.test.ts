import { describe, expect, it } from 'vitest';
import { checkApproval, type ApprovalPolicy } from '../../../src/conductor/check-approval.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';

const sha = 'a'.repeat(64);
const plan: PlanRecord = {
  id: 'p-1234',
  state: 'WAIT_FOR_APPROVE',
  goal: 'x',
  requestedBy: 'alice',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  planSha256: sha,
  expiresAt: '2026-11-21T11:00:00.000Z',
};
const open: ApprovalPolicy = { approvers: [], allowSelfApproval: false };
const now = new Date('2026-11-21T10:30:00.000Z');

describe('checkApproval', () => {
  it('lets a different person approve the reviewed plan in time', () => {
    expect(checkApproval(plan, { decision: 'approve', by: 'bob', planSha256: sha, now }, open)).toEqual({ ok: true });
  });
  it('refuses self-approval by default, allows it when configured', () => {
    expect(checkApproval(plan, { decision: 'approve', by: 'alice', planSha256: sha, now }, open)).toEqual({
      ok: false,
      refusal: 'alice requested plan p-1234; a different person must approve it (four-eyes rule)',
    });
    expect(
      checkApproval(
        plan,
        { decision: 'approve', by: 'alice', planSha256: sha, now },
        { ...open, allowSelfApproval: true },
      ),
    ).toEqual({ ok: true });
  });
  it('enforces the approvers allowlist when set', () => {
    const policy = { approvers: ['carol'], allowSelfApproval: false };
    expect(checkApproval(plan, { decision: 'approve', by: 'bob', planSha256: sha, now }, policy)).toEqual({
      ok: false,
      refusal: 'bob is not an approver (approvers: carol)',
    });
    expect(checkApproval(plan, { decision: 'approve', by: 'carol', planSha256: sha, now }, policy)).toEqual({
      ok: true,
    });
  });
  it('binds the approval to the plan file hash', () => {
    const r = checkApproval(plan, { decision: 'approve', by: 'bob', planSha256: 'b'.repeat(64), now }, open);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.refusal).toBe(
      'the plan file changed since it was reviewed (approved bbbbbbbbbbbb, current aaaaaaaaaaaa); review it again',
    );
  });
  it('refuses after expiry and marks it expired', () => {
    const late = new Date('2026-11-21T11:00:00.001Z');
    const r = checkApproval(plan, { decision: 'approve', by: 'bob', planSha256: sha, now: late }, open);
    expect(r).toMatchObject({ ok: false, expired: true });
  });
  it('refuses in any other state', () => {
    const r = checkApproval(
      { ...plan, state: 'REJECTED' },
      { decision: 'approve', by: 'bob', planSha256: sha, now },
      open,
    );
    expect(r).toEqual({
      ok: false,
      refusal: 'plan p-1234 is REJECTED: only a plan waiting for approval can be approved',
    });
  });
  it('lets the requester withdraw (reject) but not a stranger outside the allowlist', () => {
    const policy = { approvers: ['carol'], allowSelfApproval: false };
    expect(checkApproval(plan, { decision: 'reject', by: 'alice', planSha256: sha, now }, policy)).toEqual({
      ok: true,
    });
    expect(checkApproval(plan, { decision: 'reject', by: 'mallory', planSha256: sha, now }, policy).ok).toBe(false);
  });
});
