import type { Redis } from 'ioredis';
import { stackScheduleBaselinesKey } from '../redis/keys.js';

/**
 * First-apply baselines of asg-schedule stacks, beside the stack's versions in Redis, so a
 * rollback planned on any host restores what the first apply found. Values are JSON text; the
 * reader checks their shape.
 */
export class ScheduleBaselineStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  async read(stack: string, asgName: string): Promise<string | undefined> {
    return (await this.redis.hget(stackScheduleBaselinesKey(this.prefix, stack), asgName)) ?? undefined;
  }

  /** HSETNX: the first apply's baseline stays, whichever host applies later. */
  async recordOnce(stack: string, asgName: string, json: string): Promise<void> {
    await this.redis.hsetnx(stackScheduleBaselinesKey(this.prefix, stack), asgName, json);
  }

  async clear(stack: string, asgName: string): Promise<void> {
    await this.redis.hdel(stackScheduleBaselinesKey(this.prefix, stack), asgName);
  }
}
