import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/** A private redis-server for one test file: its own free port, its own dir, killed after. */
export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** A new client; closed by stop(). */
  client(): Redis;
  /** Stops the server (SIGKILL when `hard`), keeping the dir so restart() finds the AOF. */
  kill(hard?: boolean): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function requireBinary(name: string, install: string): void {
  const paths = (process.env.PATH ?? '').split(':');
  const found = paths.some((p) => p !== '' && existsSync(join(p, name)));
  if (!found) throw new Error(`${name} not found on PATH: install it (${install})`);
}

async function waitForPing(port: number, host: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Redis({
      port,
      host,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.ping();
      c.disconnect();
      return;
    } catch {
      c.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** `host`: the address to bind and connect to (127.0.0.1 unless the test needs another). */
export async function startRedis(options: { aof?: boolean; host?: string } = {}): Promise<TestRedis> {
  requireBinary('redis-server', 'apt-get install redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'crew-redis-'));
  const port = await freePort();
  const clients: Redis[] = [];
  let proc: ChildProcess | undefined;
  const aof = options.aof ?? true;
  const host = options.host ?? '127.0.0.1';
  const launch = async () => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        host,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        aof ? 'yes' : 'no',
        '--appendfsync',
        'always',
        // Off the loopback (the test's own bridge), Redis would refuse clients without a password.
        ...(host === '127.0.0.1' ? [] : ['--protected-mode', 'no']),
      ],
      { stdio: 'ignore' },
    );
    await waitForPing(port, host);
  };
  const kill = async (hard = false) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://${host}:${port}`,
    port,
    dir,
    client() {
      const c = new Redis({ port, host, maxRetriesPerRequest: 3 });
      // Restarts are part of the tests; reconnect errors are expected noise.
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    kill,
    restart: async () => {
      await kill(false);
      await launch();
    },
    stop: async () => {
      for (const c of clients) c.disconnect();
      await kill(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One private redis-server for the test file that calls it: started before its tests, stopped
 * after. `onStart` gets the server and a client, e.g. `useTestRedis((s, c) => ((server = s), (redis = c)))`.
 */
export function useTestRedis(
  onStart: (server: TestRedis, client: Redis) => void,
  options: { aof?: boolean } = {},
): void {
  let server: TestRedis | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
    onStart(server, server.client());
  });
  afterAll(async () => server?.stop());
}
