import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Redis } from 'ioredis';
import { asRedis, clusterClient } from '../../src/redis/cluster-client.js';
import { freePort, requireBinary } from './redis-server.js';

/** A private three-master Redis Cluster for one test file: free ports, its own dir, killed after. */
export interface TestRedisCluster {
  /** REDIS_URL for the crew: every node, comma-separated. */
  url: string;
  ports: number[];
  /** A new cluster client (typed as the crew's stores take it); closed by stop(). */
  client(): Redis;
  /** Runs a command on one node directly (e.g. CLUSTER KEYSLOT). */
  nodeCommand(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const NODES = 3;

async function clusterState(port: number): Promise<string> {
  const r = await execa('redis-cli', ['-p', String(port), 'cluster', 'info'], { reject: false });
  return String(r.stdout);
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts the cluster; a node that cannot bind (its port or its cluster bus port, port + 10000,
 * taken by another process between the check and its start) fails the attempt, and the next
 * attempt takes other ports.
 */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  requireBinary('redis-server', 'apt-get install redis-server (Redis >= 7, with cluster support)');
  requireBinary('redis-cli', 'apt-get install redis-tools (redis-cli creates the cluster)');
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function startOnce(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'crew-redis-cluster-'));
  const ports: number[] = [];
  while (ports.length < NODES) {
    const p = await freePort();
    // The cluster bus listens on port + 10000: keep both in range and distinct.
    if (p < 55_000 && !ports.includes(p) && (await canListen(p + 10_000))) ports.push(p);
  }
  const procs: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const clients: Redis[] = [];
  const stop = async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(
      procs.map((p) => {
        if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
        const exited = new Promise<void>((r) => p.once('exit', () => r()));
        p.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitFor(async () => (await clusterState(port)).includes('cluster_state'));
    await execa('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await waitFor(async () => (await clusterState(port)).includes('cluster_state:ok'));
  } catch (err) {
    await stop();
    throw err;
  }
  const url = ports.map((p) => `redis://127.0.0.1:${p}`).join(',');
  return {
    url,
    ports,
    client() {
      const c = asRedis(clusterClient(url, { reconnect: true }));
      clients.push(c);
      return c;
    },
    nodeCommand: async (args) => String((await execa('redis-cli', ['-p', String(ports[0]), ...args])).stdout),
    stop,
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
