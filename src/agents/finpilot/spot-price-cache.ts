import type { Redis } from 'ioredis';
import { SpotPriceStore, type SpotPriceCache } from '../../store/spot-price-store.js';

// The Spot price cache as Sentinel reads it: no AWS SDK needed to read what FinPilot fetched.

export type { SpotPriceCache } from '../../store/spot-price-store.js';

export async function readSpotPrices(redis: Redis, region: string, prefix = 'crew'): Promise<SpotPriceCache> {
  return new SpotPriceStore({ redis, prefix }).read(region);
}
