import type { Redis } from 'ioredis';
import { clusterOf } from './cluster-client.js';

/** `text` with SCAN MATCH's pattern characters escaped, so it matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

async function scanOne(node: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', match, 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/**
 * Every key matching `match` (SCAN, so a big keyspace is not blocked), deduplicated and
 * sorted. On a Redis Cluster each master holds part of the keyspace, so each one is scanned.
 */
export async function scanKeys(redis: Redis, match: string): Promise<string[]> {
  const cluster = clusterOf(redis);
  const nodes = cluster ? cluster.nodes('master') : [redis];
  const found = await Promise.all(nodes.map((n) => scanOne(n, match)));
  return [...new Set(found.flat())].sort();
}
