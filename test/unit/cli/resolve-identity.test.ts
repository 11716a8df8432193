import { describe, expect, it } from 'vitest';
import { resolveIdentity } from '../../../src/cli/resolve-identity.js';

const open = { strictIdentity: false, identityMap: {} };
const strict = { strictIdentity: true, identityMap: { alice: 'U0ALICE', bob: 'U0BOB' } };

describe('resolveIdentity', () => {
  it('takes --as, else the OS user, when not strict', () => {
    expect(resolveIdentity('bob', open, 'alice')).toBe('bob');
    expect(resolveIdentity(undefined, open, 'alice')).toBe('alice');
  });
  it('normalises --as (trimmed, NFKC) and refuses blank or invisible names', () => {
    expect(resolveIdentity(' bob ', open, 'alice')).toBe('bob');
    expect(resolveIdentity('ｂｏｂ', open, 'alice')).toBe('bob');
    expect(() => resolveIdentity(' ', open, 'alice')).toThrow('the --as identity is empty');
    expect(() => resolveIdentity('', open, 'alice')).toThrow('the --as identity is empty');
    expect(() => resolveIdentity('bo\u200bb', open, 'alice')).toThrow('control or invisible characters');
  });
  it('in strict mode maps the OS user to its Slack id', () => {
    expect(resolveIdentity(undefined, strict, 'alice')).toBe('U0ALICE');
    expect(resolveIdentity('U0ALICE', strict, 'alice')).toBe('U0ALICE');
    expect(resolveIdentity('alice', strict, 'alice')).toBe('U0ALICE');
    expect(resolveIdentity('u0alice ', strict, 'alice')).toBe('U0ALICE');
  });
  it('in strict mode refuses impersonation and unmapped users', () => {
    expect(() => resolveIdentity('U0BOB', strict, 'alice')).toThrow(
      'strict identity: you are U0ALICE (OS user alice); --as U0BOB cannot act for someone else',
    );
    expect(() => resolveIdentity(undefined, strict, 'mallory')).toThrow(
      "strict identity: OS user mallory is not mapped in the crew's identity map",
    );
  });
  it('in strict mode never takes a mapping from the prototype chain', () => {
    expect(() => resolveIdentity(undefined, strict, 'constructor')).toThrow('is not mapped');
    expect(() => resolveIdentity(undefined, strict, '__proto__')).toThrow('is not mapped');
  });
});
