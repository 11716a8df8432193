import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { livenessKey, streamKey } from '../../../src/redis/keys.js';
import { streamStats } from '../../../src/bus/stream-stats.js';
import type { BusRedis } from './bus-fixtures.js';
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

beforeAll(async () => {
  server = await startBusRedis();
  redis = server.client();
});
afterAll(async () => {
  await server.stop();
});

describe('RedisBus close()', () => {
  it('waits for an in-flight handler, acks it, is idempotent and reads nothing afterwards', async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'goal.submitted');
    // A longer block than the test waits: close() must interrupt the read, not sit it out.
    const bus = makeBus(redis, prefix, { consumerName: 'closing-1', blockMs: 5_000 });
    const gate = deferred();
    const seen: string[] = [];
    let started = 0;
    bus.consume('goal.submitted', 'atlas', async (a) => {
      started += 1;
      await gate.promise;
      seen.push(a.id);
    });
    const first = opsEvent();
    await bus.publish('goal.submitted', first);
    await waitFor(() => started === 1, { timeoutMs: 2_000, what: 'handler to start' });

    const p1 = bus.close();
    const p2 = bus.close();
    expect(p2).toBe(p1);
    let closed = false;
    void p1.then(() => (closed = true));
    await sleep(300);
    expect(closed).toBe(false);
    gate.resolve();
    const t0 = Date.now();
    await p1;
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(seen).toEqual([first.id]);
    expect(await pendingCount(redis, key, 'atlas')).toBe(0);
    expect(await redis.exists(livenessKey(prefix, 'closing-1'))).toBe(0);

    await expect(bus.publish('goal.submitted', opsEvent())).rejects.toMatchObject({ code: 'CREW_ERR_CLOSED' });
    expect(() => bus.consume('notify', 'x', async () => undefined)).toThrow(/closed/);
    const later = opsEvent();
    await redis.xadd(key, '*', 'artifact', JSON.stringify(later), 'type', later.type, 'planId', later.planId);
    await sleep(400);
    expect(started).toBe(1);
    const stats = await streamStats(redis, prefix);
    expect(stats.find((s) => s.topic === 'goal.submitted')).toEqual({
      topic: 'goal.submitted',
      length: 2,
      groups: [{ name: 'atlas', pending: 0, lag: 1 }],
    });
    // The consumer left the group on close since it owned nothing.
    expect(await redis.xinfo('CONSUMERS', key, 'atlas')).toEqual([]);
    await bus.close();
  });

  it('closes promptly when idle', async () => {
    const bus = makeBus(redis, randomPrefix(), { blockMs: 5_000 });
    bus.consume('notify', 'slack', async () => undefined);
    await sleep(200);
    const t0 = Date.now();
    await bus.close();
    // The same on a Redis Cluster: the read is interrupted on the node that serves the stream.
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('closes promptly even when close() comes while the reads are still starting', async () => {
    // A read sent just before close() may reach Redis after the first CLIENT UNBLOCK.
    // A block twice the limit: a close() that sat a read out would be plain to see. On a
    // Cluster a read may start before its client knows the slot map (a fresh duplicate).
    const limit = 5_000;
    for (const delay of [0, 1, 3, 5, 10, 20, 40]) {
      const bus = makeBus(redis, randomPrefix(), { blockMs: 10_000 });
      bus.consume('notify', 'slack', async () => undefined);
      bus.consume('goal.submitted', 'atlas', async () => undefined);
      bus.consume('plan.pending', 'conductor', async () => undefined);
      if (delay) await sleep(delay);
      const t0 = Date.now();
      await bus.close();
      expect(Date.now() - t0, `close ${delay} ms after consume`).toBeLessThan(limit);
    }
  });

  it('leaves no timer behind once closed, so a process can exit at once', async () => {
    // Every timer created while the bus lives, and whether it is still pending when close() returns.
    const alive = new Map<number, string>();
    const hook = createHook({
      init: (id, type) => {
        if (type === 'Timeout') alive.set(id, new Error().stack ?? '');
      },
      destroy: (id) => alive.delete(id),
    });
    hook.enable();
    try {
      const bus = makeBus(redis, randomPrefix(), { blockMs: 5_000 });
      bus.consume('notify', 'slack', async () => undefined);
      await sleep(200);
      await bus.close();
      // Destroy hooks of timers cleared during close() run on the next turn of the loop.
      await new Promise((r) => setImmediate(r));
      const pending = [...alive.values()].filter((stack) => stack.includes('/src/bus/'));
      expect(pending, pending.join('\n---\n')).toEqual([]);
    } finally {
      hook.disable();
    }
  });
});
