import type { Redis } from 'ioredis';

// The Spot price cache as Sentinel reads it: no AWS SDK needed to read what FinPilot fetched.

export const spotKey = (prefix: string, region: string): string => `${prefix}:spot:${region}`;

export interface SpotPriceCache {
  /** USD per hour by instance type; empty when nothing is cached (Sentinel then uses its default discount). */
  prices: Record<string, number>;
  fetchedAt?: string;
}

export async function readSpotPrices(redis: Redis, region: string, prefix = 'crew'): Promise<SpotPriceCache> {
  const raw = await redis.hgetall(spotKey(prefix, region));
  const prices: Record<string, number> = {};
  for (const [field, value] of Object.entries(raw)) {
    const n = Number(value);
    if (field.startsWith('price:') && Number.isFinite(n)) prices[field.slice(6)] = n;
  }
  return { prices, ...(raw.fetchedAt ? { fetchedAt: raw.fetchedAt } : {}) };
}
