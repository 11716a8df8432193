import type { Redis } from 'ioredis';
import { deadLetterKey, streamKey } from '../redis/keys.js';
import { TOPICS } from './topics.js';

/** Compares stream ids ("ms-seq") numerically. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((x) => BigInt(x));
  const [bm = 0n, bs = 0n] = b.split('-').map((x) => BigInt(x));
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

type GroupInfo = Array<string | number | null>;

function field(info: GroupInfo, name: string): string | number | null | undefined {
  const i = info.indexOf(name);
  return i >= 0 ? info[i + 1] : undefined;
}

/**
 * The lowest id XTRIM MINID may use on one stream: entries older than `cutoff`, but never one
 * still pending for a group nor one a group has not been delivered yet. An entry becomes
 * pending only when read past a group's last-delivered id, which is at or above the bound, so
 * nothing below it can turn pending between this look and the trim.
 */
export async function safeMinId(redis: Redis, stream: string, cutoff: string): Promise<string> {
  let bound = cutoff;
  const groups = (await redis.call('XINFO', 'GROUPS', stream)) as GroupInfo[];
  for (const g of groups) {
    const name = String(field(g, 'name'));
    const lastDelivered = String(field(g, 'last-delivered-id') ?? '0-0');
    if (compareIds(lastDelivered, bound) < 0) bound = lastDelivered;
    const [count, oldest] = (await redis.xpending(stream, name)) as [number, string | null];
    if (Number(count) > 0 && oldest && compareIds(oldest, bound) < 0) bound = oldest;
  }
  return bound;
}

/**
 * Trims every crew stream (and the dead-letter stream) of entries older than `retentionMs`
 * with XTRIM MINID, keeping every entry still pending or not yet delivered to some group.
 * Returns how many entries were removed.
 */
export async function trimStreams(
  redis: Redis,
  o: { prefix?: string; retentionMs: number; now?: number },
): Promise<number> {
  const prefix = o.prefix ?? 'crew';
  const cutoff = `${Math.max(0, Math.floor((o.now ?? Date.now()) - o.retentionMs))}-0`;
  let removed = 0;
  for (const stream of [...TOPICS.map((t) => streamKey(prefix, t)), deadLetterKey(prefix)]) {
    if ((await redis.exists(stream)) === 0) continue;
    const minId = await safeMinId(redis, stream, cutoff);
    removed += Number(await redis.call('XTRIM', stream, 'MINID', minId));
  }
  return removed;
}
