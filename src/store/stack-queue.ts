import type { Redis } from 'ioredis';
import { stackQueueKey } from '../redis/keys.js';
import { ENQUEUE_ONCE } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';

/** Plans waiting for a locked stack, first come first served. */
export class StackQueue {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** Queues a plan once (a redelivered PlanSpec does not queue it twice); returns its position (0 = next). */
  async enqueue(stack: string, planId: string): Promise<number> {
    return Number(await runScript(this.redis, ENQUEUE_ONCE, [stackQueueKey(this.prefix, stack)], [planId]));
  }

  async head(stack: string): Promise<string | undefined> {
    return (await this.redis.lindex(stackQueueKey(this.prefix, stack), 0)) ?? undefined;
  }

  async remove(stack: string, planId: string): Promise<void> {
    await this.redis.lrem(stackQueueKey(this.prefix, stack), 0, planId);
  }

  async list(stack: string): Promise<string[]> {
    return this.redis.lrange(stackQueueKey(this.prefix, stack), 0, -1);
  }
}
