import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identifyCaller } from '../../../src/api/identify-caller.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const tokens = [
  { name: 'ci', sha256: sha('ci-secret') },
  { name: 'ops', sha256: sha('ops-secret') },
];

describe('identifyCaller', () => {
  it('maps a listed bearer token to its identity', () => {
    expect(identifyCaller('Bearer ci-secret', tokens)).toBe('ci');
    expect(identifyCaller('bearer ops-secret', tokens)).toBe('ops');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Bearer nope', 'Basic ci-secret', 'Bearer ci-secret extra'])(
    'refuses %j',
    (header) => {
      expect(identifyCaller(header, tokens)).toBeUndefined();
    },
  );

  it('refuses everyone when no tokens are configured', () => {
    expect(identifyCaller('Bearer ci-secret', [])).toBeUndefined();
  });
});
