import type { Redis } from 'ioredis';
import { slackClaimKey } from '../redis/keys.js';

/**
 * Slack triggers claimed once (retries, duplicate envelopes, double clicks, one thread per plan):
 * SET NX PX per name, one atomic step, so two replicas receiving the same retry cannot both win.
 */
export class SlackClaimStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** True the first time `name` is claimed within `ttlMs`. */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(slackClaimKey(this.prefix, name), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async release(name: string): Promise<void> {
    await this.redis.del(slackClaimKey(this.prefix, name));
  }
}
