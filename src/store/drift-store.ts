import type { Redis } from 'ioredis';
import { stackDriftKey, stackDriftSnoozeKey } from '../redis/keys.js';
import type { StackDriftResult } from './drift-types.js';

export interface DriftSnooze {
  until: string;
  by: string;
  at: string;
}

/** The last drift result of each stack, and its snooze (if any), in Redis beside the stack. */
export class DriftStore {
  constructor(private readonly o: { redis: Redis; prefix?: string }) {}

  private get prefix(): string {
    return this.o.prefix ?? 'crew';
  }

  async recordResult(result: StackDriftResult): Promise<void> {
    await this.o.redis.set(stackDriftKey(this.prefix, result.stack), JSON.stringify(result));
  }

  async lastResult(stack: string): Promise<StackDriftResult | undefined> {
    const raw = await this.o.redis.get(stackDriftKey(this.prefix, stack));
    return raw ? (JSON.parse(raw) as StackDriftResult) : undefined;
  }

  async snooze(stack: string, s: DriftSnooze): Promise<void> {
    await this.o.redis.set(stackDriftSnoozeKey(this.prefix, stack), JSON.stringify(s));
  }

  /** The snooze in force at `now`, if any (an expired one is removed). */
  async snoozedAt(stack: string, now: Date): Promise<DriftSnooze | undefined> {
    const key = stackDriftSnoozeKey(this.prefix, stack);
    const raw = await this.o.redis.get(key);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as DriftSnooze;
    if (Date.parse(s.until) > now.getTime()) return s;
    await this.o.redis.del(key);
    return undefined;
  }
}
