import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { benchBus } from './bus.js';
import { benchSentinel } from './sentinel.js';
import { benchOrchestration } from './orchestration.js';
import { benchSlack } from './slack.js';

// `npm run bench`: every figure is printed next to a baseline measured in the same run,
// as a ratio, because absolute numbers on shared machines are noise.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function privateRedis(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'crew-bench-'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const c = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    const ok = await c.connect().then(() => true, () => false);
    c.disconnect();
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => { proc.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const redis = await privateRedis();
try {
  // First, so its idle RSS is the crew's own and not what earlier benchmarks left behind.
  if (want('orchestration')) console.log(`\n# orchestration overhead and memory\n${await benchOrchestration(redis.url)}`);
  if (want('bus')) console.log(`\n# bus: publish → consume → ack\n${await benchBus(redis.url)}`);
  if (want('sentinel')) console.log(`\n# sentinel: plans of 5,000 and 10,000 resource changes\n${await benchSentinel()}`);
  if (want('slack')) console.log(`\n# slack: ack latency of 100 concurrent /plan commands over signed HTTP\n${await benchSlack(redis.url)}`);
} finally {
  redis.stop();
}
