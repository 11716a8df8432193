import { describe, expect, it } from 'vitest';
import {
  identityKey,
  includesIdentity,
  normalizeIdentity,
  sameIdentity,
} from '../../../src/access/normalize-identity.js';
import { checkAdminAccess, checkRollbackAccess } from '../../../src/access/check-access.js';
import { checkApproval } from '../../../src/conductor/check-approval.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';

describe('normalizeIdentity', () => {
  it('trims and folds compatibility forms (NFKC)', () => {
    expect(normalizeIdentity(' alice ')).toEqual({ ok: true, id: 'alice' });
    expect(normalizeIdentity('ａｌｉｃｅ')).toEqual({ ok: true, id: 'alice' });
    expect(normalizeIdentity('U0ALICE')).toEqual({ ok: true, id: 'U0ALICE' });
  });
  it('refuses empty, blank, invisible, spaced and overlong identities', () => {
    for (const raw of [undefined, '', ' ', '\t\n'])
      expect(normalizeIdentity(raw)).toMatchObject({ ok: false, refusal: expect.stringContaining('is empty') });
    for (const raw of ['al\u200bice', 'alice\u0000', 'ali\u202ece'])
      expect(normalizeIdentity(raw)).toMatchObject({ ok: false, refusal: expect.stringContaining('invisible') });
    expect(normalizeIdentity('alice bob')).toMatchObject({
      ok: false,
      refusal: expect.stringContaining('contains spaces'),
    });
    expect(normalizeIdentity('a'.repeat(129))).toMatchObject({ ok: false });
  });
  it('compares case-folded', () => {
    expect(identityKey(' Alice ')).toBe('alice');
    expect(sameIdentity('alice', 'ALICE')).toBe(true);
    expect(sameIdentity('alice', 'ａｌｉｃｅ')).toBe(true);
    expect(sameIdentity('alice', 'alicia')).toBe(false);
    expect(sameIdentity(undefined, 'alice')).toBe(false);
    expect(includesIdentity(['U0BOB', 'carol'], 'u0bob')).toBe(true);
    expect(includesIdentity(['U0BOB'], 'U0BOBBY')).toBe(false);
  });
});

const sha = 'a'.repeat(64);
const plan: PlanRecord = {
  id: 'p-1234',
  state: 'WAIT_FOR_APPROVE',
  goal: 'x',
  requestedBy: 'alice',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  planSha256: sha,
};
const now = new Date('2026-11-21T10:30:00.000Z');

describe('four-eyes and allowlists compare identities, not spellings', () => {
  it('a respelled requester is still the requester', () => {
    for (const by of ['Alice', 'ALICE', 'ａｌｉｃｅ']) {
      expect(
        checkApproval(
          plan,
          { decision: 'approve', by, planSha256: sha, now },
          { approvers: [], allowSelfApproval: false },
        ),
      ).toMatchObject({ ok: false, refusal: expect.stringContaining('four-eyes') });
    }
  });
  it('an approver listed in another case is an approver', () => {
    expect(
      checkApproval(
        plan,
        { decision: 'approve', by: 'bob', planSha256: sha, now },
        { approvers: ['BOB'], allowSelfApproval: false },
      ),
    ).toEqual({ ok: true });
  });
  it('a decision on a plan someone else already decided names who won', () => {
    const applying = { ...plan, state: 'APPLYING' as const, approvedBy: 'bob' };
    expect(
      checkApproval(
        applying,
        { decision: 'approve', by: 'carol', planSha256: sha, now },
        { approvers: [], allowSelfApproval: false },
      ),
    ).toEqual({
      ok: false,
      refusal: 'plan p-1234 is APPLYING: only a plan waiting for approval can be approved; bob approved it first',
    });
    const rejected = { ...plan, state: 'REJECTED' as const, rejectedBy: 'carol' };
    expect(
      checkApproval(
        rejected,
        { decision: 'approve', by: 'bob', planSha256: sha, now },
        { approvers: [], allowSelfApproval: false },
      ),
    ).toMatchObject({ refusal: expect.stringContaining('carol rejected it first') });
  });
});

describe('rollback and admin access', () => {
  it('lets the requester (any spelling) or an approver roll back, nobody else', () => {
    expect(checkRollbackAccess({ approvers: ['bob'] }, plan, 'Alice')).toBeUndefined();
    expect(checkRollbackAccess({ approvers: ['bob'] }, plan, 'BOB')).toBeUndefined();
    expect(checkRollbackAccess({ approvers: ['bob'] }, plan, 'mallory')).toBe(
      'mallory may not roll back plan p-1234: only its requester (alice) or an approver (bob) may',
    );
    expect(checkRollbackAccess({ approvers: [] }, plan, 'mallory')).toBeUndefined();
  });
  it('lets only approvers unlock when approvers are set', () => {
    expect(checkAdminAccess({ approvers: [] }, 'anyone', 'unlock stacks')).toBeUndefined();
    expect(checkAdminAccess({ approvers: ['bob'] }, 'mallory', 'unlock stacks')).toBe(
      'mallory is not an approver; only approvers (bob) may unlock stacks',
    );
  });
});
