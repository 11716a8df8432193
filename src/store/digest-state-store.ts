import type { Redis } from 'ioredis';
import { digestLastKey } from '../redis/keys.js';

/** When FinPilot last sent the cost digest: the next one covers what happened since. */
export class DigestStateStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** The ISO time of the last digest sent, as stored. */
  async lastSent(): Promise<string | undefined> {
    return (await this.redis.get(digestLastKey(this.prefix))) ?? undefined;
  }

  async markSent(at: Date): Promise<void> {
    await this.redis.set(digestLastKey(this.prefix), at.toISOString());
  }
}
