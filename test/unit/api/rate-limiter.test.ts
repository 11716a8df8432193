import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/api/rate-limiter.js';

describe('RateLimiter', () => {
  it('allows the limit per key and window, then says when to retry', () => {
    let t = 1_000_000;
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    expect(limiter.take('ci')).toEqual({ ok: true });
    expect(limiter.take('ci')).toEqual({ ok: true });
    expect(limiter.take('ops')).toEqual({ ok: true });
    t += 15_000;
    expect(limiter.take('ci')).toEqual({ ok: false, retryAfterSec: 45 });
    t += 45_000;
    expect(limiter.take('ci')).toEqual({ ok: true });
  });

  it('is off with a limit of 0', () => {
    const limiter = new RateLimiter({ limit: 0, windowMs: 1000 });
    for (let i = 0; i < 100; i++) expect(limiter.take('ci')).toEqual({ ok: true });
  });
});
