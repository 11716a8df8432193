import type { Redis } from 'ioredis';
import { makeKeys, type Keys } from './keys.js';

// Appends once: a redelivered PlanSpec must not queue the same plan twice.
const ENQUEUE = `
if redis.call('LPOS', KEYS[1], ARGV[1]) then return redis.call('LPOS', KEYS[1], ARGV[1]) end
redis.call('RPUSH', KEYS[1], ARGV[1])
return redis.call('LLEN', KEYS[1]) - 1
`;

/** Plans waiting for a locked stack, first come first served. */
export class StackQueue {
  private readonly keys: Keys;
  private readonly redis: Redis;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.keys = makeKeys(options.prefix);
    this.redis.defineCommand('crewEnqueue', { numberOfKeys: 1, lua: ENQUEUE });
  }

  /** Queues a plan; returns its position (0 = next). */
  async enqueue(stack: string, planId: string): Promise<number> {
    return Number(await (this.redis as unknown as { crewEnqueue(k: string, id: string): Promise<number> }).crewEnqueue(this.keys.stackQueue(stack), planId));
  }

  async head(stack: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.keys.stackQueue(stack), 0)) ?? undefined;
  }

  async remove(stack: string, planId: string): Promise<void> {
    await this.redis.lrem(this.keys.stackQueue(stack), 0, planId);
  }

  async list(stack: string): Promise<string[]> {
    return this.redis.lrange(this.keys.stackQueue(stack), 0, -1);
  }
}
