import {
  DescribeSpotPriceHistoryCommand,
  type _InstanceType,
  type EC2Client,
  type SpotPrice,
} from '@aws-sdk/client-ec2';
import { Cron } from 'croner';
import type { Redis } from 'ioredis';
import { SpotPriceStore } from '../../store/spot-price-store.js';
import { callAws } from './explain-aws-error.js';
import type { SpotPriceCache } from './spot-price-cache.js';

export { readSpotPrices, type SpotPriceCache } from './spot-price-cache.js';

export interface FetchSpotPricesOptions {
  instanceTypes: readonly string[];
  /** Default Linux/UNIX, what Sentinel's on-demand prices are for. */
  productDescription?: string;
  now?: Date;
}

export const DEFAULT_SPOT_TTL_SECONDS = 6 * 3600;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Latest price per (type, AZ), then the median across AZs: one AZ's spike does not set the price. */
export function summarizeSpotHistory(rows: readonly SpotPrice[]): Record<string, number> {
  const latest = new Map<string, { at: number; price: number; type: string }>();
  for (const r of rows) {
    const price = Number(r.SpotPrice);
    if (!r.InstanceType || !r.AvailabilityZone || !Number.isFinite(price)) continue;
    const at = r.Timestamp?.getTime() ?? 0;
    const key = `${r.InstanceType}|${r.AvailabilityZone}`;
    const seen = latest.get(key);
    if (!seen || at > seen.at) latest.set(key, { at, price, type: r.InstanceType });
  }
  const byType = new Map<string, number[]>();
  for (const { type, price } of latest.values()) byType.set(type, [...(byType.get(type) ?? []), price]);
  return Object.fromEntries([...byType].map(([type, prices]) => [type, Math.round(median(prices) * 1e6) / 1e6]));
}

/** DescribeSpotPriceHistory from now: AWS answers with the price in effect in each AZ. */
export async function fetchSpotPrices(ec2: EC2Client, o: FetchSpotPricesOptions): Promise<Record<string, number>> {
  if (o.instanceTypes.length === 0) return {};
  const rows: SpotPrice[] = [];
  let token: string | undefined;
  const startTime = o.now ?? new Date();
  for (let page = 0; page < 100; page++) {
    const res = await callAws('EC2', 'DescribeSpotPriceHistory', () =>
      ec2.send(
        new DescribeSpotPriceHistoryCommand({
          // Types are validated by EC2 itself; the SDK's enum lags new families.
          InstanceTypes: o.instanceTypes as _InstanceType[],
          ProductDescriptions: [o.productDescription ?? 'Linux/UNIX'],
          StartTime: startTime,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    rows.push(...(res.SpotPriceHistory ?? []));
    // EC2 ends the list with an empty <nextToken/>, not by leaving it out.
    token = res.NextToken || undefined;
    if (!token) break;
  }
  return summarizeSpotHistory(rows);
}

export interface RefreshSpotPricesOptions extends FetchSpotPricesOptions {
  redis: Redis;
  ec2: EC2Client;
  region: string;
  prefix?: string;
  ttlSeconds?: number;
}

/** Fetches and replaces the region's cached prices in one step; an empty answer keeps the old cache. */
export async function refreshSpotPrices(o: RefreshSpotPricesOptions): Promise<SpotPriceCache> {
  const prices = await fetchSpotPrices(o.ec2, o);
  if (Object.keys(prices).length === 0) return { prices };
  const fetchedAt = (o.now ?? new Date()).toISOString();
  await new SpotPriceStore({ redis: o.redis, prefix: o.prefix ?? 'crew' }).replace(
    o.region,
    { prices, fetchedAt },
    o.ttlSeconds ?? DEFAULT_SPOT_TTL_SECONDS,
  );
  return { prices, fetchedAt };
}

/** What Sentinel's `spotPrices` option takes; `{ prices: {} }` when the cache is empty or expired. */

export interface ScheduleSpotRefreshOptions extends Omit<RefreshSpotPricesOptions, 'now'> {
  /** Default every 6 hours at minute 17 (off the hour, when many jobs run). */
  cron?: string;
  onError?: (err: unknown) => void;
}

/** Refreshes on a schedule and once at start; `stop()` on the returned job ends it. */
export function scheduleSpotRefresh(o: ScheduleSpotRefreshOptions): Cron {
  const run = () =>
    refreshSpotPrices(o).then(
      () => undefined,
      (err: unknown) => o.onError?.(err),
    );
  const job = new Cron(
    o.cron ?? '17 */6 * * *',
    { name: `crew-spot-${o.region}`, protect: true, timezone: 'UTC' },
    run,
  );
  void run();
  return job;
}
