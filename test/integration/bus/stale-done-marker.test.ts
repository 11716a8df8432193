import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ARTIFACT_TYPES } from '../../../contracts/artifacts.js';
import type { Artifact } from '../../../contracts/envelope.js';
import { EntrySettler } from '../../../src/bus/settle-entry.js';
import type { RawEntry } from '../../../src/bus/parse-entry.js';
import { streamKey } from '../../../src/redis/keys.js';
import { deferred, logger, opsEvent, randomPrefix, startBusRedis, type BusRedis } from './bus-fixtures.js';

let server: BusRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startBusRedis();
  redis = server.client();
});
afterAll(async () => {
  await server.stop();
});

/** A settler for ops.event / conductor whose handler counts calls and may be held open. */
function settlerFor(prefix: string, handler: (a: Artifact) => Promise<void>): EntrySettler {
  return new EntrySettler({
    redis,
    logger,
    prefix,
    topic: 'ops.event',
    group: 'conductor',
    handler,
    carries: ARTIFACT_TYPES,
    maxDeliveries: 3,
    deliveryCap: 10,
    notYetGraceMs: 1_000,
    dedupeTtlMs: 60_000,
    maxLen: 1_000,
  });
}

/** Two stream entries carrying the same artifact (a publisher's retried XADD that had landed). */
async function twoEntriesOf(prefix: string, a: Artifact): Promise<[RawEntry, RawEntry]> {
  const key = streamKey(prefix, 'ops.event');
  const fields = ['artifact', JSON.stringify(a), 'type', a.type, 'planId', a.planId];
  const first = (await redis.xadd(key, '*', ...fields)) as string;
  const second = (await redis.xadd(key, '*', ...fields)) as string;
  return [
    { id: first, fields },
    { id: second, fields },
  ];
}

describe('EntrySettler and a done marker read before the same artifact was handled', () => {
  it('handles once when the other delivery is handled between the marker read and the settle', async () => {
    const prefix = randomPrefix();
    const a = opsEvent();
    const [one, two] = await twoEntriesOf(prefix, a);
    let calls = 0;
    const settler = settlerFor(prefix, async () => void (calls += 1));
    const [late] = await settler.prepare([two]);
    expect(late!.done).toBe(false);
    const [early] = await settler.prepare([one]);
    expect(await settler.settle(early!, 1)).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls).toBe(1);
  });

  it('handles once when the other delivery was in flight at the marker read and ends before the settle', async () => {
    const prefix = randomPrefix();
    const a = opsEvent();
    const [one, two] = await twoEntriesOf(prefix, a);
    let calls = 0;
    const held = deferred();
    const settler = settlerFor(prefix, async () => {
      calls += 1;
      await held.promise;
    });
    const [early] = await settler.prepare([one]);
    const first = settler.settle(early!, 1);
    const [late] = await settler.prepare([two]);
    held.resolve();
    expect(await first).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls).toBe(1);
  });

  it('handles once when the other delivery ended so long ago (a thousand ends since) that its end is forgotten', async () => {
    const prefix = randomPrefix();
    const a = opsEvent();
    const [one, two] = await twoEntriesOf(prefix, a);
    const seen = new Map<string, number>();
    const settler = settlerFor(prefix, async (x) => void seen.set(x.id, (seen.get(x.id) ?? 0) + 1));
    const [late] = await settler.prepare([two]);
    const [early] = await settler.prepare([one]);
    await settler.settle(early!, 1);
    const others = Array.from({ length: 1_100 }, () => opsEvent());
    const key = streamKey(prefix, 'ops.event');
    const entries: RawEntry[] = [];
    for (const o of others) {
      const fields = ['artifact', JSON.stringify(o), 'type', o.type, 'planId', o.planId];
      entries.push({ id: (await redis.xadd(key, '*', ...fields)) as string, fields });
    }
    await Promise.all((await settler.prepare(entries)).map((d) => settler.settle(d, 1)));
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(seen.get(a.id)).toBe(1);
    expect(seen.size).toBe(1_101);
  });

  it('still trusts a marker read after the other delivery ended (no extra lookup)', async () => {
    const prefix = randomPrefix();
    const a = opsEvent();
    const [one, two] = await twoEntriesOf(prefix, a);
    let calls = 0;
    const settler = settlerFor(prefix, async () => void (calls += 1));
    const [early] = await settler.prepare([one]);
    await settler.settle(early!, 1);
    const [late] = await settler.prepare([two]);
    expect(late!.done).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls).toBe(1);
  });
});
