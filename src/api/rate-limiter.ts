export interface RateLimiterOptions {
  /** Requests each key may make per window; 0 turns limiting off. */
  limit: number;
  windowMs: number;
  now?: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * A fixed window per key, in this process: several API processes each allow the limit. Keys are
 * the configured identities (a request is counted only once its token is known), so the map stays small.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;

  constructor(private readonly o: RateLimiterOptions) {
    this.now = o.now ?? Date.now;
  }

  take(key: string): RateDecision {
    if (this.o.limit <= 0) return { ok: true };
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.o.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.o.limit)
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((w.start + this.o.windowMs - now) / 1000)) };
    w.count += 1;
    return { ok: true };
  }
}
