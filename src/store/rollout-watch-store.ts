import type { Redis } from 'ioredis';
import { rolloutWatchKey } from '../redis/keys.js';

/** An apply on AWS whose instance refresh (if it started one) the crew follows until it ends. */
export interface RolloutWatch {
  planId: string;
  stack: string;
  /** The stack's Auto Scaling group and its region. */
  group: string;
  region: string;
  /** When the apply started: a refresh it started began at or after this. */
  since: string;
}

const isWatch = (v: unknown): v is RolloutWatch =>
  typeof v === 'object' &&
  v !== null &&
  ['planId', 'stack', 'group', 'region', 'since'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string');

/**
 * One hash of the watches, a field per stack: a stack's later apply or rollback replaces the watch of
 * the one before (the refreshes that follow are its own; AWS cancels the earlier one's if it runs).
 */
export class RolloutWatchStore {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(o: { redis: Redis; prefix?: string }) {
    this.redis = o.redis;
    this.key = rolloutWatchKey(o.prefix ?? 'crew');
  }

  async add(w: RolloutWatch): Promise<void> {
    await this.redis.hset(this.key, w.stack, JSON.stringify(w));
  }

  /** Every watch; one that does not parse is dropped (it cannot be followed). */
  async list(): Promise<RolloutWatch[]> {
    const out: RolloutWatch[] = [];
    for (const [stack, raw] of Object.entries(await this.redis.hgetall(this.key))) {
      let w: unknown;
      try {
        w = JSON.parse(raw);
      } catch {
        w = undefined;
      }
      if (isWatch(w)) out.push(w);
      else await this.redis.hdel(this.key, stack);
    }
    return out;
  }

  /** Ends a watch, unless the stack's watch was replaced since it was read (a later apply's). */
  async remove(w: Pick<RolloutWatch, 'stack' | 'planId' | 'since'>): Promise<void> {
    const raw = await this.redis.hget(this.key, w.stack);
    const now = raw ? (JSON.parse(raw) as RolloutWatch) : undefined;
    if (now?.planId === w.planId && now.since === w.since) await this.redis.hdel(this.key, w.stack);
  }
}
