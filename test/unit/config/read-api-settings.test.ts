import { describe, expect, it } from 'vitest';
import { readApiSettings } from '../../../src/config/read-api-settings.js';

const H = 'a'.repeat(64);

describe('readApiSettings', () => {
  it('is off without a port, bound to 127.0.0.1, with no tokens', () => {
    expect(readApiSettings({})).toEqual({ host: '127.0.0.1', tokens: [], ratePerMinute: 120, linkTtlSec: 72 * 3600 });
  });

  it('reads the port, host and name:sha256 pairs (hex case-folded)', () => {
    expect(
      readApiSettings({
        CREW_API_PORT: '8080',
        CREW_API_HOST: '0.0.0.0',
        CREW_API_TOKENS: `ci:${H}, ops:${'B'.repeat(64)}`,
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      tokens: [
        { name: 'ci', sha256: H },
        { name: 'ops', sha256: 'b'.repeat(64) },
      ],
      ratePerMinute: 120,
      linkTtlSec: 72 * 3600,
    });
  });

  it.each([['ci'], ['ci:abc'], [`:${H}`], [`ci:${H}:x`], [`c i:${H}`], [`ci:${H},ops:${H}`]])(
    'refuses %s without echoing the hash',
    (raw) => {
      expect(() => readApiSettings({ CREW_API_TOKENS: raw })).toThrow(/CREW_API_TOKENS/);
      try {
        readApiSettings({ CREW_API_TOKENS: raw });
      } catch (err) {
        expect(String(err)).not.toContain(H);
      }
    },
  );

  it('refuses a port out of range', () => {
    expect(() => readApiSettings({ CREW_API_PORT: '70000' })).toThrow(/CREW_API_PORT/);
  });
});
