import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { DeadLetter } from '../../../src/bus/redis-bus.js';
import type { BusRedis, TestBus } from './bus-fixtures.js';
import { deadLetterKey, streamKey } from '../../../src/redis/keys.js';
import {
  makeBus,
  opsEvent,
  pendingCount,
  randomPrefix,
  readStream,
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

describe('RedisBus retries and dead letters', () => {
  it('retries a handler that throws twice and then succeeds', async () => {
    const prefix = randomPrefix();
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, { maxDeliveries: 5, onDeadLetter: async (d) => void letters.push(d) });
    buses.push(bus);
    let calls = 0;
    let handled = 0;
    bus.consume('build.status', 'conductor', async () => {
      calls += 1;
      if (calls <= 2) throw new Error(`flaky ${calls}`);
      handled += 1;
    });
    await bus.publish('build.status', opsEvent());
    await waitFor(() => handled === 1, { timeoutMs: 4_000, what: 'third attempt to succeed' });
    await waitFor(async () => (await pendingCount(redis, streamKey(prefix, 'build.status'), 'conductor')) === 0, {
      timeoutMs: 2_000,
      what: 'ack',
    });
    await sleep(300);
    expect(calls).toBe(3);
    expect(letters).toEqual([]);
  });

  it('dead-letters an entry whose handler always throws after maxDeliveries, naming the plan', async () => {
    const prefix = randomPrefix();
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, { maxDeliveries: 3, onDeadLetter: async (d) => void letters.push(d) });
    buses.push(bus);
    let calls = 0;
    bus.consume('apply.result', 'conductor', async () => {
      calls += 1;
      throw new Error('terraform exploded');
    });
    const a = opsEvent({ planId: 'p-doomed1' });
    const entryId = await bus.publish('apply.result', a);
    await waitFor(() => letters.length === 1, { timeoutMs: 5_000, what: 'dead letter' });
    await sleep(400);
    expect(calls).toBe(3);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      topic: 'apply.result',
      group: 'conductor',
      entryId,
      artifactId: a.id,
      planId: 'p-doomed1',
      deliveries: 3,
    });
    expect(letters[0]?.reason).toMatch(/handler failed 3 times \(delivery 3\): terraform exploded/);
    expect(JSON.parse(letters[0]?.raw ?? '')).toEqual(a);
    const dead = await readStream(redis, deadLetterKey(prefix));
    expect(dead).toEqual([
      expect.objectContaining({
        topic: 'apply.result',
        group: 'conductor',
        entryId,
        planId: 'p-doomed1',
        deliveries: '3',
      }),
    ]);
    expect(await pendingCount(redis, streamKey(prefix, 'apply.result'), 'conductor')).toBe(0);
  });

  it('does not count consumers that died holding an entry as handler failures', async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'notify');
    await redis.xgroup('CREATE', key, 'slack', '0', 'MKSTREAM');
    const a = opsEvent({ planId: 'p-survive' });
    const entryId = await redis.xadd(key, '*', 'artifact', JSON.stringify(a), 'type', a.type, 'planId', a.planId);
    // Three consumers killed mid-handler, one after the other: three deliveries, no failures.
    await redis.xreadgroup('GROUP', 'slack', 'gone-1', 'COUNT', 1, 'STREAMS', key, '>');
    await redis.xclaim(key, 'slack', 'gone-2', 0, entryId ?? '');
    await redis.xclaim(key, 'slack', 'gone-3', 0, entryId ?? '');
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, { maxDeliveries: 2, onDeadLetter: async (d) => void letters.push(d) });
    buses.push(bus);
    let calls = 0;
    bus.consume('notify', 'slack', async () => void (calls += 1));
    await waitFor(() => calls === 1, { timeoutMs: 5_000, what: 'the handler to run' });
    await sleep(300);
    expect(letters).toEqual([]);
    expect(await pendingCount(redis, key, 'slack')).toBe(0);
  });

  it('retries an artifact that arrived early without counting it as a failure', async () => {
    const prefix = randomPrefix();
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, { maxDeliveries: 2, onDeadLetter: async (d) => void letters.push(d) });
    buses.push(bus);
    let calls = 0;
    bus.consume('apply.result', 'conductor', async () => {
      calls += 1;
      if (calls < 5) throw Object.assign(new Error('not yet'), { notYet: true });
    });
    await bus.publish('apply.result', opsEvent({ planId: 'p-patient' }));
    await waitFor(() => calls === 5, { timeoutMs: 10_000, what: 'five deliveries' });
    await sleep(300);
    expect(letters).toEqual([]);
  });

  it('dead-letters without running the handler an entry that reached the delivery cap', async () => {
    const prefix = randomPrefix();
    const key = streamKey(prefix, 'notify');
    await redis.xgroup('CREATE', key, 'slack', '0', 'MKSTREAM');
    const a = opsEvent({ planId: 'p-crashy1' });
    const entryId = await redis.xadd(key, '*', 'artifact', JSON.stringify(a), 'type', a.type, 'planId', a.planId);
    // Two consumers that crashed mid-handler, one after the other: two deliveries recorded.
    await redis.xreadgroup('GROUP', 'slack', 'gone-1', 'COUNT', 1, 'STREAMS', key, '>');
    await redis.xclaim(key, 'slack', 'gone-2', 0, entryId ?? '');
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, {
      maxDeliveries: 2,
      deliveryCap: 2,
      onDeadLetter: async (d) => void letters.push(d),
    });
    buses.push(bus);
    let calls = 0;
    bus.consume('notify', 'slack', async () => void (calls += 1));
    await waitFor(() => letters.length === 1, { timeoutMs: 4_000, what: 'dead letter' });
    expect(calls).toBe(0);
    expect(letters[0]).toMatchObject({ entryId, planId: 'p-crashy1', deliveries: 2 });
    expect(letters[0]?.reason).toMatch(/gave up after 2 deliveries/);
  });
});
