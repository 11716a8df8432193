import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { Artifact } from '../../../contracts/envelope.js';
import { CrewError } from '../../../src/errors.js';
import type { DeadLetter } from '../../../src/bus/redis-bus.js';
import type { BusRedis, TestBus } from './bus-fixtures.js';
import { deadLetterKey, streamKey } from '../../../src/redis/keys.js';
import { streamStats } from '../../../src/bus/stream-stats.js';
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

describe('RedisBus publish/consume', () => {
  it('delivers a published artifact to the handler, validated, with inspection fields', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const seen: Artifact[] = [];
    const sent = opsEvent({ planId: 'p-round1' });
    // Published before the first consumer: the group starts at 0 so it is not missed.
    const entryId = await bus.publish('ops.event', sent);
    expect(entryId).toMatch(/^\d+-\d+$/);
    bus.consume('ops.event', 'conductor', async (a) => {
      seen.push(a);
    });
    await waitFor(() => seen.length === 1, { timeoutMs: 3_000, what: 'delivery' });
    expect(seen[0]).toEqual(sent);
    const [fields] = await readStream(redis, streamKey(prefix, 'ops.event'));
    expect(fields).toMatchObject({ type: 'OpsEvent', planId: 'p-round1' });
    expect(JSON.parse(fields?.artifact ?? '')).toEqual(sent);
    await waitFor(async () => (await pendingCount(redis, streamKey(prefix, 'ops.event'), 'conductor')) === 0, {
      timeoutMs: 2_000,
      what: 'ack',
    });
    const stats = await streamStats(redis, prefix);
    const ops = stats.find((s) => s.topic === 'ops.event');
    expect(ops).toEqual({ topic: 'ops.event', length: 1, groups: [{ name: 'conductor', pending: 0, lag: 0 }] });
    expect(stats.find((s) => s.topic === 'notify')).toEqual({ topic: 'notify', length: 0, groups: [] });
  });

  it('refuses to publish an invalid artifact with a readable reason', async () => {
    const bus = makeBus(redis, randomPrefix());
    buses.push(bus);
    const bad = { ...opsEvent(), payload: { kind: 'nonsense', detail: 'x' } } as unknown as Artifact;
    const err = await bus.publish('ops.event', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrewError);
    expect((err as CrewError).code).toBe('CREW_ERR_BAD_ARTIFACT');
    expect((err as CrewError).message).toContain('payload.kind');
    const noId = { ...opsEvent(), id: undefined } as unknown as Artifact;
    await expect(bus.publish('ops.event', noId)).rejects.toThrow(/missing field "id"/);
  });

  it('dead-letters malformed entries with their reason and keeps handling the next ones', async () => {
    const prefix = randomPrefix();
    const letters: DeadLetter[] = [];
    const bus = makeBus(redis, prefix, { onDeadLetter: async (d) => void letters.push(d) });
    buses.push(bus);
    const key = streamKey(prefix, 'ops.event');
    const invalid = { ...opsEvent({ planId: 'p-broken1' }), payload: { kind: 'heartbeat' } };
    await redis.xadd(key, '*', 'artifact', JSON.stringify(invalid));
    await redis.xadd(key, '*', 'artifact', '{not json', 'planId', 'p-broken2');
    const good = opsEvent();
    await bus.publish('ops.event', good);
    const seen: string[] = [];
    bus.consume('ops.event', 'conductor', async (a) => void seen.push(a.id));
    await waitFor(() => seen.length === 1 && letters.length === 2, {
      timeoutMs: 3_000,
      what: 'good entry and two dead letters',
    });
    expect(seen).toEqual([good.id]);
    expect(letters.map((l) => l.planId)).toEqual(['p-broken1', 'p-broken2']);
    expect(letters[0]).toMatchObject({ topic: 'ops.event', group: 'conductor', artifactId: invalid.id, deliveries: 1 });
    expect(letters[0]?.reason).toMatch(/malformed entry: .*missing field "detail"/);
    expect(letters[1]?.reason).toMatch(/not JSON/);
    const dead = await readStream(redis, deadLetterKey(prefix));
    expect(dead).toHaveLength(2);
    expect(dead[1]).toMatchObject({ topic: 'ops.event', group: 'conductor', raw: '{not json', deliveries: '1' });
    expect(dead[0]?.reason).toContain('missing field "detail"');
    expect((await redis.xpending(key, 'conductor'))[0]).toBe(0);
  });

  it('handles a duplicate artifact (same id published twice) once per group', async () => {
    const prefix = randomPrefix();
    const bus = makeBus(redis, prefix);
    buses.push(bus);
    const a = opsEvent();
    await bus.publish('ops.event', a);
    await bus.publish('ops.event', a);
    const byConductor: string[] = [];
    const byFinpilot: string[] = [];
    bus.consume('ops.event', 'conductor', async (x) => void byConductor.push(x.id), { concurrency: 4 });
    bus.consume('ops.event', 'finpilot', async (x) => void byFinpilot.push(x.id));
    await waitFor(
      async () =>
        byConductor.length >= 1 &&
        byFinpilot.length >= 1 &&
        (await pendingCount(redis, streamKey(prefix, 'ops.event'), 'conductor')) === 0,
      { timeoutMs: 3_000, what: 'both groups' },
    );
    // A later republish (a re-run producer) is still dropped.
    await bus.publish('ops.event', a);
    await sleep(300);
    expect(byConductor).toEqual([a.id]);
    expect(byFinpilot).toEqual([a.id]);
  });

  it('rejects unknown topics and bad group names', async () => {
    const bus = makeBus(redis, randomPrefix());
    buses.push(bus);
    await expect(bus.publish('nope' as 'notify', opsEvent())).rejects.toMatchObject({ code: 'CREW_ERR_BAD_INPUT' });
    expect(() => bus.consume('notify', 'bad group', async () => undefined)).toThrow(/invalid consumer group/);
    bus.consume('notify', 'slack', async () => undefined);
    expect(() => bus.consume('notify', 'slack', async () => undefined)).toThrow(/already consuming/);
  });
});
