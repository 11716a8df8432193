import type { Redis } from 'ioredis';
import { clusterOf } from './cluster-client.js';

/**
 * The same fields of many hashes. On one server the reads go out as one pipeline (one write to
 * the socket, one round trip); on a Cluster, where a pipeline must stay on one node, as
 * separate commands sent together (each to the node serving its key).
 */
export async function hmgetEach(
  redis: Redis,
  keys: readonly string[],
  fields: readonly string[],
): Promise<Array<Array<string | null>>> {
  if (keys.length === 0) return [];
  if (clusterOf(redis)) return Promise.all(keys.map((key) => redis.hmget(key, ...fields)));
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hmget(key, ...fields);
  const replies = (await pipeline.exec()) ?? [];
  return keys.map((key, i) => {
    const [err, values] = replies[i] ?? [new Error(`no reply for HMGET ${key}`), null];
    if (err) throw err;
    return values as Array<string | null>;
  });
}
