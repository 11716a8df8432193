import { errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { ReviewThreads, TransitionNote } from './post-review.js';
import type { ReplyOutboxStore } from '../store/reply-outbox-store.js';

export interface ReplyOutboxOptions {
  store: ReplyOutboxStore;
  threads: Pick<ReviewThreads, 'publish' | 'alertApprovers'>;
  logger: Logger;
  /** Transitions of one plan within this window become one reply. Default 1 s (Slack's pace per channel). */
  coalesceMs?: number;
  /** How often plans left due by a stopped process (or a failed flush) are looked for. Default 15 s. */
  sweepMs?: number;
  /** Longest wait between retries of a plan whose thread Slack refuses. Default 5 minutes. */
  maxBackoffMs?: number;
  now?: () => number;
}

// Longer than any flush takes (Slack calls retried by the client included); a crashed holder frees it.
const LOCK_MS = 120_000;

/** Seconds Slack asked to wait (HTTP 429 Retry-After), when the client gave up on a rate limit. */
function retryAfterMs(err: unknown): number | undefined {
  const s = (err as { retryAfter?: unknown }).retryAfter;
  return typeof s === 'number' && s > 0 ? s * 1000 : undefined;
}

/**
 * Review-thread replies, coalesced and durable: each transition is written to Redis first; a
 * plan's thread is brought up to date at most once per window with everything that arrived
 * (one edit of the root from the latest record, one reply for the burst). A failed flush
 * keeps the notes and retries with backoff (Slack's Retry-After when it sent one); a restart,
 * or another replica's sweep, posts whatever a stopped process left.
 */
export class ReplyOutbox {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly attempts = new Map<string, number>();
  private sweeper?: NodeJS.Timeout;
  private closed = false;
  private readonly coalesceMs: number;
  private readonly now: () => number;

  constructor(private readonly o: ReplyOutboxOptions) {
    this.coalesceMs = o.coalesceMs ?? 1000;
    this.now = o.now ?? Date.now;
  }

  /** Posts what earlier processes left, then keeps sweeping for plans left due. */
  async start(): Promise<void> {
    // Everything pending at start: left by a stopped process, or in another replica's hands (its lock says so).
    await this.sweep(Number.POSITIVE_INFINITY);
    this.sweeper = setInterval(() => void this.sweep(), this.o.sweepMs ?? 15_000);
    this.sweeper.unref();
  }

  async onTransition(planId: string, note: TransitionNote): Promise<void> {
    await this.o.store.push(planId, note, this.now() + this.coalesceMs);
    this.schedule(planId, this.coalesceMs);
  }

  /** Alerts go out at once: they are not state, and they must not wait for a window. */
  alertApprovers(planId: string | undefined, kind: string, detail: string): Promise<void> {
    return this.o.threads.alertApprovers(planId, kind, detail);
  }

  /** Settles once nothing is scheduled or running in this process (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size || this.running.size) {
      await Promise.all([...this.running.values()]);
      if (this.timers.size && !this.running.size) await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops timers and waits for flushes in flight; what is unposted stays in Redis. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running.values()]);
  }

  private async sweep(until = this.now()): Promise<void> {
    if (this.closed) return;
    try {
      for (const planId of await this.o.store.due(until)) this.schedule(planId, 0);
    } catch (err) {
      this.o.logger.warn({ err: errorMessage(err) }, 'could not read the Slack replies due');
    }
  }

  private schedule(planId: string, ms: number): void {
    if (this.closed || this.timers.has(planId)) return;
    const t = setTimeout(() => {
      this.timers.delete(planId);
      if (this.running.has(planId)) return this.schedule(planId, this.coalesceMs);
      const run = this.flush(planId).finally(() => this.running.delete(planId));
      this.running.set(planId, run);
    }, ms);
    this.timers.set(planId, t);
  }

  private async flush(planId: string): Promise<void> {
    const { store, logger } = this.o;
    let token: string | undefined;
    try {
      token = await store.lock(planId, LOCK_MS);
      // Another replica is posting this plan's notes: look again after the window.
      if (!token) return this.schedule(planId, this.coalesceMs);
      const notes = await store.take(planId);
      if (notes.length === 0) {
        await store.done(planId, 0);
        return;
      }
      await this.o.threads.publish(planId, notes, (n) => store.done(planId, n));
      this.attempts.delete(planId);
    } catch (err) {
      const attempt = (this.attempts.get(planId) ?? 0) + 1;
      this.attempts.set(planId, attempt);
      const wait =
        retryAfterMs(err) ?? Math.min(this.o.maxBackoffMs ?? 300_000, this.coalesceMs * 2 ** Math.min(attempt, 20));
      logger.warn(
        { planId, attempt, retryInMs: wait, err: errorMessage(err) },
        'could not update the Slack review thread; will retry',
      );
      await store.reschedule(planId, this.now() + wait).catch(() => undefined);
      this.schedule(planId, wait);
    } finally {
      if (token) await store.unlock(planId, token).catch(() => undefined);
    }
  }
}
