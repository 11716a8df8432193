import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { doneKey, failuresKey, streamKey } from '../../../src/redis/keys.js';
import type { BusRedis, TestBus } from './bus-fixtures.js';
import { makeBus, opsEvent, pendingCount, randomPrefix, sleep, startBusRedis, waitFor } from './bus-fixtures.js';

let server: BusRedis;
let redis: Redis;
const buses: TestBus[] = [];
const onCluster = process.env.CREW_TEST_REDIS_CLUSTER === '1';

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

/** Calls of one command so far, from INFO commandstats (summed over a cluster's masters). */
async function calls(command: string): Promise<number> {
  const cluster = redis as unknown as { nodes?: (role: 'master') => Redis[] };
  const servers = onCluster && cluster.nodes ? cluster.nodes('master') : [redis];
  let n = 0;
  for (const s of servers) {
    const m = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(await s.info('commandstats'));
    n += m ? Number(m[1]) : 0;
  }
  return n;
}

/** The group's last delivered entry id ('' while the group does not exist). */
async function lastDelivered(key: string, group: string): Promise<string> {
  const rows = (await redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
  const row = rows.find((r) => r[r.indexOf('name') + 1] === group);
  return row ? String(row[row.indexOf('last-delivered-id') + 1]) : '';
}

/** Every entry of the stream delivered to the group and acked. */
async function allAcked(prefix: string, group: string): Promise<void> {
  const key = streamKey(prefix, 'ops.event');
  const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0];
  await waitFor(
    async () => (await lastDelivered(key, group)) === last && (await pendingCount(redis, key, group)) === 0,
    { timeoutMs: 5_000, what: 'acks' },
  );
}

describe('RedisBus batched dedupe and acks', () => {
  it('handles an artifact delivered twice in one batch once, and acks both entries', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const a = opsEvent();
    const b = opsEvent();
    const first = await bus.publish('ops.event', a);
    await bus.publish('ops.event', a);
    await bus.publish('ops.event', b);
    await bus.publish('ops.event', a);
    const seen: string[] = [];
    // Room for all four in one read: the duplicates arrive together, before any marker exists.
    bus.consume('ops.event', 'conductor', async (x) => void seen.push(x.id), { concurrency: 8 });
    await allAcked(prefix, 'conductor');
    await sleep(200);
    expect(seen.sort()).toEqual([a.id, b.id].sort());
    expect(await redis.get(doneKey(prefix, 'ops.event', 'conductor', a.id, a.planId))).toBe(first);
  });

  it('sets every done marker with the dedupe TTL, so markers expire with retention', async () => {
    const prefix = randomPrefix();
    const ttl = 60_000;
    const bus = makeBus(redis, prefix, { dedupeTtlMs: ttl });
    buses.push(bus);
    const sent = Array.from({ length: 12 }, () => opsEvent());
    for (const a of sent) await bus.publish('ops.event', a);
    let handled = 0;
    bus.consume('ops.event', 'conductor', async () => void (handled += 1), { concurrency: 5 });
    await allAcked(prefix, 'conductor');
    expect(handled).toBe(sent.length);
    for (const a of sent) {
      const pttl = await redis.pttl(doneKey(prefix, 'ops.event', 'conductor', a.id, a.planId));
      expect(pttl, a.id).toBeGreaterThan(0);
      expect(pttl, a.id).toBeLessThanOrEqual(ttl);
    }
  });

  it('acks an artifact handled earlier without running the handler, next to new ones in its batch', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const old = opsEvent();
    const seen: string[] = [];
    bus.consume('ops.event', 'conductor', async (x) => void seen.push(x.id), { concurrency: 1 });
    await bus.publish('ops.event', old);
    await allAcked(prefix, 'conductor');
    await bus.close();
    const fresh = [opsEvent(), opsEvent()];
    const again = makeBus(redis, prefix);
    buses.push(again);
    await again.publish('ops.event', fresh[0]!);
    await again.publish('ops.event', old);
    await again.publish('ops.event', fresh[1]!);
    again.consume('ops.event', 'conductor', async (x) => void seen.push(x.id), { concurrency: 8 });
    await allAcked(prefix, 'conductor');
    await sleep(200);
    expect(seen[0]).toBe(old.id);
    expect(seen.slice(1).sort()).toEqual([fresh[0]!.id, fresh[1]!.id].sort());
  });

  it('drops the failure count of an entry that failed once and then succeeded', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const flaky = opsEvent();
    const others = [opsEvent(), opsEvent(), opsEvent()];
    let failed = false;
    const seen: string[] = [];
    bus.consume(
      'ops.event',
      'conductor',
      async (x) => {
        if (x.id === flaky.id && !failed) {
          failed = true;
          throw new Error('first try fails');
        }
        seen.push(x.id);
      },
      { concurrency: 4 },
    );
    for (const a of [others[0]!, flaky, others[1]!, others[2]!]) await bus.publish('ops.event', a);
    await allAcked(prefix, 'conductor');
    expect(failed).toBe(true);
    expect(seen.sort()).toEqual([flaky.id, ...others.map((a) => a.id)].sort());
    expect(await redis.hlen(failuresKey(prefix, 'ops.event', 'conductor'))).toBe(0);
  });

  it('reads the markers of a batch with one MGET and acks the batch in one XACK', async () => {
    const prefix = randomPrefix();
    // No maintenance pass (its scripts run EXISTS) during the count.
    const bus = makeBus(redis, prefix, { recoverIntervalMs: 60_000 });
    buses.push(bus);
    const sent = Array.from({ length: 20 }, () => opsEvent());
    for (const a of sent) await bus.publish('ops.event', a);
    const [mget, xack, exists] = [await calls('mget'), await calls('xack'), await calls('exists')];
    let handled = 0;
    bus.consume('ops.event', 'conductor', async () => void (handled += 1), { concurrency: 20 });
    await allAcked(prefix, 'conductor');
    expect(handled).toBe(20);
    // Per artifact, the old way: 20 EXISTS and 20 XACK.
    expect((await calls('mget')) - mget).toBeLessThanOrEqual(2);
    expect((await calls('xack')) - xack).toBeLessThanOrEqual(2);
    expect((await calls('exists')) - exists).toBeLessThanOrEqual(1);
  });

  it('does not ask for its pending entries on every retry interval while idle', async () => {
    const bus = makeBus(redis, randomPrefix(), { retryIntervalMs: 20, recoverIntervalMs: 5_000 });
    buses.push(bus);
    bus.consume('ops.event', 'conductor', async () => undefined);
    await sleep(300);
    const before = await calls('xpending');
    await sleep(1_000);
    // Polling every retry interval would be about 50 here.
    expect((await calls('xpending')) - before).toBeLessThanOrEqual(2);
  });
});

describe('RedisBus batched publishes', () => {
  it('sends a burst of publishes in one pipeline; each caller gets its own entry id, in the order asked', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const sent = Array.from({ length: 50 }, () => opsEvent());
    const pipelines = vi.spyOn(redis, 'pipeline');
    let ids: string[];
    try {
      ids = await Promise.all(sent.map((a) => bus.publish('ops.event', a)));
      expect(pipelines).toHaveBeenCalledTimes(1);
    } finally {
      pipelines.mockRestore();
    }
    const rows = await redis.xrange(streamKey(prefix, 'ops.event'), '-', '+');
    expect(rows.map(([id]) => id)).toEqual(ids);
    expect(rows.map(([, fields]) => (JSON.parse(fields[1] as string) as { id: string }).id)).toEqual(
      sent.map((a) => a.id),
    );
    // A lone publish goes as it is.
    const one = opsEvent();
    const lone = vi.spyOn(redis, 'pipeline');
    try {
      await bus.publish('ops.event', one);
      expect(lone).not.toHaveBeenCalled();
    } finally {
      lone.mockRestore();
    }
  });

  it('fails only the publish Redis refused in a burst; the others land', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    // A plain string where a topic's stream belongs: Redis answers WRONGTYPE to that XADD alone.
    await redis.set(streamKey(prefix, 'plan.pending'), 'not a stream');
    const good = [opsEvent(), opsEvent()];
    const results = await Promise.allSettled([
      bus.publish('ops.event', good[0]!),
      bus.publish('plan.pending', opsEvent()),
      bus.publish('ops.event', good[1]!),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('WRONGTYPE');
    const rows = await redis.xrange(streamKey(prefix, 'ops.event'), '-', '+');
    expect(rows.map(([, fields]) => (JSON.parse(fields[1] as string) as { id: string }).id)).toEqual(
      good.map((a) => a.id),
    );
  });
});
