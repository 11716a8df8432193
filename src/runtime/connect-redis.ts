import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { CrewError } from '../errors.js';
import { asRedis, clusterClient } from '../redis/cluster-client.js';

export interface RedisConnection {
  redis: Redis;
  /** Where it is and why that one, for the user (printed on stderr). */
  description: string;
}

async function ping(url: string, timeoutMs: number): Promise<Redis | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return undefined;
  }
}

function withReconnect(url: string): Redis {
  // After the first connection, keep retrying: a Redis restart must not lose the process.
  const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * n, 2000) });
  client.on('error', () => {});
  return client;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Starts (or finds) the private redis-server kept under the data dir, with AOF on. */
async function privateRedis(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const portFile = join(dir, 'port');
  if (existsSync(portFile)) {
    const url = `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    const alive = await ping(url, 500);
    if (alive) {
      alive.disconnect();
      return url;
    }
  }
  const port = await freePort();
  try {
    // execa is a few hundred modules: loaded only when a private redis-server has to be started.
    const { execa } = await import('execa');
    await execa('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'yes',
      '--pidfile',
      join(dir, 'redis.pid'),
      '--logfile',
      join(dir, 'redis.log'),
    ]);
  } catch (err) {
    throw new CrewError(
      'CREW_ERR_REDIS',
      'no Redis reachable (REDIS_URL unset, nothing on 127.0.0.1:6379) and redis-server could not be started: install it with `apt-get install redis-server`',
      { cause: err },
    );
  }
  writeFileSync(portFile, String(port));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const c = await ping(url, 200);
    if (c) {
      c.disconnect();
      return url;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CrewError(
    'CREW_ERR_REDIS',
    `started redis-server on port ${port} but it does not answer; see ${join(dir, 'redis.log')}`,
  );
}

/** Redis per the embedded defaults: REDIS_URL; else 127.0.0.1:6379 if reachable; else a private one. */
export async function connectRedis(options: {
  redisUrl?: string;
  /** REDIS_URL names Redis Cluster nodes (several URLs, or CREW_REDIS_CLUSTER=1). */
  cluster?: boolean;
  dataDir: string;
  allowLocalDefault?: boolean;
}): Promise<RedisConnection> {
  if (options.redisUrl && options.cluster) return connectCluster(options.redisUrl);
  if (options.redisUrl) {
    const probe = await ping(options.redisUrl, 3000);
    if (!probe) throw new CrewError('CREW_ERR_REDIS', `cannot reach Redis at REDIS_URL (${redact(options.redisUrl)})`);
    probe.disconnect();
    return { redis: withReconnect(options.redisUrl), description: `redis: ${redact(options.redisUrl)} (REDIS_URL)` };
  }
  const local = 'redis://127.0.0.1:6379';
  if (options.allowLocalDefault !== false) {
    const probe = await ping(local, 300);
    if (probe) {
      probe.disconnect();
      return { redis: withReconnect(local), description: 'redis: 127.0.0.1:6379 (found running locally)' };
    }
  }
  const url = await privateRedis(options.dataDir);
  return {
    redis: withReconnect(url),
    description: `redis: private redis-server at ${url.slice(8)} with AOF in ${join(options.dataDir, 'redis')}`,
  };
}

/** A Redis Cluster from its seed nodes: it must answer, and its slots must all be served. */
async function connectCluster(urls: string): Promise<RedisConnection> {
  const probe = clusterClient(urls, { reconnect: false, connectTimeoutMs: 3000 });
  try {
    await probe.connect();
    const info = await probe.cluster('INFO');
    if (!/cluster_state:ok/.test(info)) throw new Error(`cluster not ready:\n${info}`);
  } catch (err) {
    // A plain server behind the URL is a setting to fix, not an outage: say which.
    const plain = await ping(urls.split(',')[0]!.trim(), 1000);
    plain?.disconnect();
    const why = plain
      ? `${redact(urls)} answers as a single Redis, not as a ready cluster node: list one URL and unset CREW_REDIS_CLUSTER, or finish the cluster`
      : `cannot reach a ready Redis Cluster at REDIS_URL (${redact(urls)})`;
    throw new CrewError('CREW_ERR_REDIS', why, { cause: err });
  } finally {
    probe.disconnect();
  }
  const nodes = urls.split(',').length;
  return {
    redis: asRedis(clusterClient(urls, { reconnect: true })),
    description: `redis: cluster via ${redact(urls)} (${nodes} seed node${nodes > 1 ? 's' : ''}, REDIS_URL)`,
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/g, '//***@');
}
