import { describe, expect, it } from 'vitest';
import { accessPolicyFromConfig, describeAccessPolicy, diffAccessRules } from '../../../src/access/access-policy.js';
import { parseAccessPolicy } from '../../../src/store/access-policy-store.js';
import { readConfig } from '../../../src/config/read-config.js';

const rules = {
  approvers: ['bob'],
  allowSelfApproval: false,
  approvalTtlMs: 3_600_000,
  strictIdentity: false,
  identityMap: {},
};

describe('access policy', () => {
  it('is read from the configuration with the names of the variables that set it', () => {
    const config = readConfig(
      { CREW_APPROVERS: 'bob, carol', CREW_STRICT_IDENTITY: '1', CREW_IDENTITY_MAP: 'alice=U0ALICE, bob=U0BOB' },
      '/tmp',
    );
    expect(config).toMatchObject({
      approvers: ['bob', 'carol'],
      strictIdentity: true,
      identityMap: { alice: 'U0ALICE', bob: 'U0BOB' },
      accessSettings: ['CREW_APPROVERS', 'CREW_STRICT_IDENTITY', 'CREW_IDENTITY_MAP'],
    });
    expect(readConfig({}, '/tmp').accessSettings).toEqual([]);
    expect(() => readConfig({ CREW_IDENTITY_MAP: 'alice' }, '/tmp')).toThrow(
      'CREW_IDENTITY_MAP: "alice" is not osuser=identity',
    );
  });
  it('says what differs between two sets of rules, ignoring spelling and order', () => {
    expect(diffAccessRules(rules, { ...rules, approvers: ['BOB'] })).toEqual([]);
    expect(diffAccessRules(rules, { ...rules, approvers: [] })).toEqual([
      'approvers bob (yours: anyone but the requester)',
    ]);
    expect(diffAccessRules(rules, { ...rules, allowSelfApproval: true, approvalTtlMs: 60_000 })).toEqual([
      'self-approval refused (yours: allowed)',
      'approval window 60 min (yours: 1 min)',
    ]);
    expect(diffAccessRules(rules, { ...rules, strictIdentity: true, identityMap: { a: 'b' } })).toEqual([
      'strict identity off (yours: on)',
      'identity map differs (yours is not used)',
    ]);
  });
  it('describes itself and where it came from', () => {
    const p = accessPolicyFromConfig(rules, {
      setBy: 'crew worker on h (pid 1)',
      source: 'operator',
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(describeAccessPolicy(p)).toBe(
      'approvers: bob; self-approval: refused (four-eyes); approval window: 60 min; strict identity: off; set by crew worker on h (pid 1) at 2026-12-01T00:00:00.000Z',
    );
  });
  it('refuses a stored policy that is not whole (fail closed, never "anyone")', () => {
    const p = accessPolicyFromConfig(rules, { setBy: 'x', source: 'operator' });
    expect(parseAccessPolicy(JSON.stringify(p))).toEqual(p);
    expect(() => parseAccessPolicy('{')).toThrow('not JSON');
    for (const broken of [
      { ...p, approvers: 'bob' },
      { ...p, allowSelfApproval: 'yes' },
      { ...p, approvalTtlMs: -1 },
      { ...p, source: 'client' },
      { ...p, identityMap: { a: 1 } },
    ]) {
      expect(() => parseAccessPolicy(JSON.stringify(broken))).toThrow('malformed');
    }
  });
});
