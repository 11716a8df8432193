import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { BusRedis, TestBus } from './bus-fixtures.js';
import { livenessKey, streamKey } from '../../../src/redis/keys.js';
import {
  deferred,
  makeBus,
  opsEvent,
  pendingCount,
  randomPrefix,
  sleep,
  startBusRedis,
  waitFor,
} from './bus-fixtures.js';

let server: BusRedis;
let redis: Redis;
const buses: TestBus[] = [];

beforeAll(async () => {
  server = await startBusRedis();
  redis = server.client();
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await server.stop();
});

async function consumerNames(key: string, group: string): Promise<string[]> {
  const rows = (await redis.xinfo('CONSUMERS', key, group)) as unknown[][];
  return rows.map((r) => String(r[r.indexOf('name') + 1]));
}

describe('RedisBus consumers in one group', () => {
  it('splits work between two consumers with no duplicates', async () => {
    const prefix = randomPrefix();
    const handled: Array<[string, string]> = [];
    const a = makeBus(redis, prefix, { consumerName: 'worker-a' });
    const b = makeBus(redis, prefix, { consumerName: 'worker-b' });
    buses.push(a, b);
    for (const bus of [a, b]) {
      bus.consume('validate.pending', 'sentinel', async (x) => {
        await sleep(2);
        handled.push([bus.consumerName, x.id]);
      });
    }
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const art = opsEvent();
      ids.push(art.id);
      await a.publish('validate.pending', art);
    }
    await waitFor(() => handled.length >= 100, { timeoutMs: 8_000, what: '100 handled' });
    await sleep(200);
    expect(handled).toHaveLength(100);
    expect(new Set(handled.map(([, id]) => id))).toEqual(new Set(ids));
    const byA = handled.filter(([c]) => c === 'worker-a').length;
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(100);
  });

  it('adopts the pending entries of a consumer that died (kill -9) within a couple of seconds', async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'plan.pending');
    await redis.xgroup('CREATE', key, 'forge', '0', 'MKSTREAM');
    const art = opsEvent({ planId: 'p-orphan1' });
    await redis.xadd(key, '*', 'artifact', JSON.stringify(art), 'type', art.type, 'planId', art.planId);
    // "dead-1" read it and vanished: no ack, no liveness key.
    await redis.xreadgroup('GROUP', 'forge', 'dead-1', 'COUNT', 1, 'STREAMS', key, '>');
    expect(await pendingCount(redis, key, 'forge')).toBe(1);
    const started = Date.now();
    const seen: string[] = [];
    const bus = makeBus(redis, prefix, { consumerName: 'rescuer' });
    buses.push(bus);
    bus.consume('plan.pending', 'forge', async (x) => void seen.push(x.id));
    await waitFor(() => seen.length === 1, { timeoutMs: 2_500, what: 'orphan to be handled' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(seen).toEqual([art.id]);
    await waitFor(async () => (await pendingCount(redis, key, 'forge')) === 0, { timeoutMs: 1_000, what: 'ack' });
    // The dead consumer is removed from the group once it owns nothing.
    await waitFor(async () => !(await consumerNames(key, 'forge')).includes('dead-1'), {
      timeoutMs: 2_000,
      what: 'dead-1 removed',
    });
  });

  it("does not steal a live consumer's pending entries", async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'apply.request');
    const gate = deferred();
    const byLive: string[] = [];
    const byOther: string[] = [];
    const live = makeBus(redis, prefix, { consumerName: 'live-1' });
    buses.push(live);
    live.consume('apply.request', 'forge', async (x) => {
      await gate.promise;
      byLive.push(x.id);
    });
    await live.publish('apply.request', opsEvent());
    await waitFor(async () => (await pendingCount(redis, key, 'forge')) === 1, {
      timeoutMs: 2_000,
      what: 'live-1 to take the entry',
    });
    const other = makeBus(redis, prefix, { consumerName: 'other-1' });
    buses.push(other);
    other.consume('apply.request', 'forge', async (x) => void byOther.push(x.id));
    // Several recovery passes and liveness TTLs go by while live-1's handler is still busy.
    await sleep(1_500);
    expect(byOther).toEqual([]);
    const [row] = (await redis.xpending(key, 'forge', '-', '+', 10)) as Array<[string, string, number, number]>;
    expect(row?.[1]).toBe('live-1');
    gate.resolve();
    await waitFor(() => byLive.length === 1, { timeoutMs: 2_000, what: 'live-1 to finish' });
    await waitFor(async () => (await pendingCount(redis, key, 'forge')) === 0, { timeoutMs: 1_000, what: 'ack' });
    expect(byOther).toEqual([]);
  });
  it('takes entries idle longer than claimIdleMs even from a consumer that still looks alive', async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'rollback.request');
    await redis.xgroup('CREATE', key, 'forge', '0', 'MKSTREAM');
    const art = opsEvent({ planId: 'p-stuck1' });
    await redis.xadd(key, '*', 'artifact', JSON.stringify(art), 'type', art.type, 'planId', art.planId);
    // "stuck-1" heartbeats but never finishes: only the idle-time fallback can free its entry.
    await redis.set(livenessKey(prefix, 'stuck-1'), '1', 'PX', 30_000);
    await redis.xreadgroup('GROUP', 'forge', 'stuck-1', 'COUNT', 1, 'STREAMS', key, '>');
    const seen: string[] = [];
    const bus = makeBus(redis, prefix, { claimIdleMs: 400 });
    buses.push(bus);
    bus.consume('rollback.request', 'forge', async (x) => void seen.push(x.id));
    await waitFor(() => seen.length === 1, { timeoutMs: 3_000, what: 'stuck entry to be handled' });
    await waitFor(async () => (await pendingCount(redis, key, 'forge')) === 0, { timeoutMs: 1_000, what: 'ack' });
    // Still registered: it is alive as far as anyone can tell.
    expect(await consumerNames(key, 'forge')).toContain('stuck-1');
  });
});
