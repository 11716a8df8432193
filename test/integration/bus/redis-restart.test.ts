import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import type { Artifact } from '../../../contracts/envelope.js';
import { streamKey } from '../../../src/redis/keys.js';
import { makeBus, opsEvent, pendingCount, randomPrefix, sleep, waitFor } from './bus-fixtures.js';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis({ aof: true });
  redis = server.client();
  // Connection errors during the restart are expected; the bus logs its own.
  redis.on('error', () => undefined);
});
afterAll(async () => {
  await server.stop();
});

describe('RedisBus across a Redis restart', () => {
  it("reads on connections without a ready check of their own (the command connection's stands for them)", async () => {
    const infoCalls = async () => Number(/^cmdstat_info:calls=(\d+)/m.exec(await redis.info('commandstats'))?.[1] ?? 0);
    const client = server.client();
    await client.ping(); // the command connection: connected, its ready check done
    const before = await infoCalls();
    const bus = makeBus(client, randomPrefix());
    const seen: string[] = [];
    for (const topic of ['ops.event', 'notify', 'plan.pending'] as const)
      bus.consume(topic, 'conductor', async (a) => void seen.push(`${topic} ${a.id}`));
    const events = [opsEvent(), opsEvent(), opsEvent()];
    await Promise.all([
      bus.publish('ops.event', events[0]!),
      bus.publish('notify', events[1]!),
      bus.publish('plan.pending', events[2]!),
    ]);
    await waitFor(() => seen.length === 3, { timeoutMs: 5_000, what: 'the three artifacts handled' });
    // Three readers connected and read, and no INFO was sent but the one counting (the earlier count's).
    expect((await infoCalls()) - before).toBe(1);
    expect(seen.sort()).toEqual(
      [`notify ${events[1]!.id}`, `ops.event ${events[0]!.id}`, `plan.pending ${events[2]!.id}`].sort(),
    );
    await bus.close();
    client.disconnect();
  });

  it('loses nothing and handles each of 200 artifacts once when Redis restarts mid-stream', async () => {
    await runThroughOutage(() => server.restart());
  });

  it('loses nothing when every client connection is dropped mid-stream', async () => {
    await runThroughOutage(async () => {
      // Kills the bus's command and blocking-read connections alike (not this one).
      await redis.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await sleep(30);
      await redis.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    }, server.client());
  });
});

async function runThroughOutage(outage: () => Promise<void>, busClient: Redis = redis): Promise<void> {
  busClient.on('error', () => undefined);
  const prefix = randomPrefix();
  const bus = makeBus(busClient, prefix);
  const counts = new Map<string, number>();
  bus.consume(
    'ops.event',
    'conductor',
    async (a) => {
      await sleep(3);
      counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
    },
    { concurrency: 4 },
  );
  // A publisher that retries like a real producer would; a retried XADD that had landed
  // is a duplicate entry the bus must drop.
  const publish = async (a: Artifact) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await bus.publish('ops.event', a);
      } catch (err) {
        if (attempt > 100) throw err;
        await sleep(50);
      }
    }
  };
  const sent: string[] = [];
  let down: Promise<void> | undefined;
  for (let i = 0; i < 200; i++) {
    if (i === 100) down = outage();
    const a = opsEvent();
    sent.push(a.id);
    await publish(a);
  }
  await down;
  await waitFor(() => counts.size === 200, { timeoutMs: 20_000, what: 'all 200 handled' });
  await waitFor(async () => (await pendingCount(redis, streamKey(prefix, 'ops.event'), 'conductor')) === 0, {
    timeoutMs: 5_000,
    what: 'all acked',
  });
  await sleep(300);
  expect([...counts.keys()].sort()).toEqual([...sent].sort());
  expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  await bus.close();
}
