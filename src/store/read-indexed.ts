import type { Redis } from 'ioredis';

/**
 * The members of the index set `key`, each read with `read` (all asked for at once). A member
 * it finds stale (`undefined`: its record is gone, or no longer belongs in the index after a
 * crash between a move and the index's update) is removed from the set here.
 */
export async function readIndexed<T>(
  redis: Redis,
  key: string,
  read: (id: string) => Promise<T | undefined>,
): Promise<T[]> {
  const ids = await redis.smembers(key);
  const rows = await Promise.all(ids.map(read));
  const stale = ids.filter((_, i) => rows[i] === undefined);
  if (stale.length > 0) await redis.srem(key, ...stale);
  return rows.filter((r): r is Awaited<T> => r !== undefined);
}
