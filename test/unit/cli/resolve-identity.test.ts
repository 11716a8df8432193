import { describe, expect, it } from 'vitest';
import { resolveIdentity } from '../../../src/cli/resolve-identity.js';

describe('resolveIdentity', () => {
  it('takes --as, else the OS user, when not strict', () => {
    expect(resolveIdentity('bob', {}, 'alice')).toBe('bob');
    expect(resolveIdentity(undefined, {}, 'alice')).toBe('alice');
  });

  const strict = { CREW_STRICT_IDENTITY: '1', CREW_IDENTITY_MAP: 'alice=U0ALICE, bob=U0BOB' };
  it('in strict mode maps the OS user to its Slack id', () => {
    expect(resolveIdentity(undefined, strict, 'alice')).toBe('U0ALICE');
    expect(resolveIdentity('U0ALICE', strict, 'alice')).toBe('U0ALICE');
    expect(resolveIdentity('alice', strict, 'alice')).toBe('U0ALICE');
  });
  it('in strict mode refuses impersonation and unmapped users', () => {
    expect(() => resolveIdentity('U0BOB', strict, 'alice')).toThrow('strict identity: you are U0ALICE (OS user alice); --as U0BOB cannot act for someone else');
    expect(() => resolveIdentity(undefined, strict, 'mallory')).toThrow('strict identity: OS user mallory is not mapped in CREW_IDENTITY_MAP');
  });
});
