import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import { hashSlot } from './hash-slot.js';

/**
 * A Redis Cluster client from REDIS_URL's seed nodes (`redis://h1:p1,redis://h2:p2`; one URL
 * is enough with CREW_REDIS_CLUSTER=1). Credentials and TLS come from the first URL.
 */
export function clusterClient(urls: string, options: { reconnect: boolean; connectTimeoutMs?: number }): Cluster {
  const seeds = urls.split(',').map((u) => new URL(u.trim()));
  const first = seeds[0]!;
  const redisOptions: ClusterOptions['redisOptions'] = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(options.connectTimeoutMs !== undefined ? { connectTimeout: options.connectTimeoutMs } : {}),
    // As with one server: once connected, a command waits out a failover or restart rather than fail.
    maxRetriesPerRequest: options.reconnect ? null : 1,
  };
  const cluster = new Cluster(
    seeds.map((u) => ({ host: u.hostname, port: Number(u.port || 6379) })),
    {
      redisOptions,
      lazyConnect: !options.reconnect,
      clusterRetryStrategy: options.reconnect ? (n) => Math.min(50 * n, 2000) : () => null,
      enableOfflineQueue: true,
    },
  );
  cluster.on('error', () => {});
  return cluster;
}

/**
 * The crew's stores, bus and scripts are written against ioredis's `Redis` command API, which
 * `Cluster` shares: every command they send names its keys, scripts keep theirs in one slot
 * (run-script.ts checks), and the few whole-keyspace reads go through scan-keys.ts.
 */
export function asRedis(cluster: Cluster): Redis {
  return cluster as unknown as Redis;
}

/** The Cluster behind a client from asRedis(), if it is one. */
export function clusterOf(redis: Redis): Cluster | undefined {
  return (redis as unknown) instanceof Cluster ? (redis as unknown as Cluster) : undefined;
}

/**
 * Resolves once a Cluster client knows which node serves each slot (it learns the map as it
 * connects; a duplicate starts without one), once it has given up connecting (its commands then
 * fail, as they would have), or when `until` settles first. At once for one server.
 */
export async function slotsKnown(redis: Redis, until: Promise<unknown>): Promise<void> {
  const cluster = clusterOf(redis);
  if (!cluster || cluster.status === 'ready' || cluster.status === 'end') return;
  let settle: (() => void) | undefined;
  const known = new Promise<void>((resolve) => {
    settle = resolve;
    cluster.once('ready', resolve);
    cluster.once('end', resolve);
  });
  try {
    await Promise.race([known, until]);
  } finally {
    if (settle) {
      cluster.off('ready', settle);
      cluster.off('end', settle);
    }
  }
}

/**
 * The connection that commands on `key` use: `redis` itself, or on a Cluster the connection to
 * the master serving the key's slot (undefined until the slot map is known). CLIENT ID and
 * CLIENT UNBLOCK name a connection of one server, so they must go there.
 */
export function connectionForKey(redis: Redis, key: string): Redis | undefined {
  const cluster = clusterOf(redis);
  if (!cluster) return redis;
  const nodeKey = cluster.slots[hashSlot(key)]?.[0];
  return cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
}
