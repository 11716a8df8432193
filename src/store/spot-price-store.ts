import type { Redis } from 'ioredis';
import { spotPricesKey } from '../redis/keys.js';

/** Spot prices of one region as cached: USD per hour by instance type, and when they were fetched. */
export interface SpotPriceCache {
  /** Empty when nothing is cached (Sentinel then uses its default discount). */
  prices: Record<string, number>;
  fetchedAt?: string;
}

/** The Spot price cache FinPilot fills and Sentinel reads: one hash per region, expiring. */
export class SpotPriceStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  async read(region: string): Promise<SpotPriceCache> {
    const raw = await this.redis.hgetall(spotPricesKey(this.prefix, region));
    const prices: Record<string, number> = {};
    for (const [field, value] of Object.entries(raw)) {
      const n = Number(value);
      if (field.startsWith('price:') && Number.isFinite(n)) prices[field.slice(6)] = n;
    }
    return { prices, ...(raw.fetchedAt ? { fetchedAt: raw.fetchedAt } : {}) };
  }

  /** Replaces the region's prices in one step (MULTI on its one key) and lets them expire after `ttlSeconds`. */
  async replace(region: string, cache: Required<SpotPriceCache>, ttlSeconds: number): Promise<void> {
    const key = spotPricesKey(this.prefix, region);
    const fields = Object.entries(cache.prices).flatMap(([t, p]) => [`price:${t}`, String(p)]);
    await this.redis
      .multi()
      .del(key)
      .hset(key, 'fetchedAt', cache.fetchedAt, ...fields)
      .expire(key, ttlSeconds)
      .exec();
  }
}
