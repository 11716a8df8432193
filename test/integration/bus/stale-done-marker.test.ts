import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ARTIFACT_TYPES } from '../../../contracts/artifacts.js';
import type { Artifact } from '../../../contracts/envelope.js';
import { EntrySettler } from '../../../src/bus/settle-entry.js';
import type { RawEntry } from '../../../src/bus/parse-entry.js';
import { streamKey } from '../../../src/redis/keys.js';
import { useTestRedis } from '../../support/redis-server.js';
import { logger, opsEvent, randomPrefix } from './bus-fixtures.js';

let redis: Redis;
useTestRedis((_, client) => (redis = client));

/** The artifact as one more stream entry of ops.event (as a publish, or a retried one, leaves it). */
async function entryOf(prefix: string, a: Artifact): Promise<RawEntry> {
  const fields = ['artifact', JSON.stringify(a), 'type', a.type, 'planId', a.planId];
  return { id: (await redis.xadd(streamKey(prefix, 'ops.event'), '*', ...fields)) as string, fields };
}

/**
 * Two stream entries carrying the same artifact (a publisher's retried XADD that had landed), and
 * a settler for ops.event / conductor whose handler counts its calls per artifact and, while
 * `hold` is pending, does not return.
 */
async function duplicatePair(hold?: Promise<void>) {
  const prefix = randomPrefix();
  const artifact = opsEvent();
  const one = await entryOf(prefix, artifact);
  const two = await entryOf(prefix, artifact);
  const calls = new Map<string, number>();
  const settler = new EntrySettler({
    redis,
    logger,
    prefix,
    topic: 'ops.event',
    group: 'conductor',
    handler: async (a) => {
      calls.set(a.id, (calls.get(a.id) ?? 0) + 1);
      await hold;
    },
    carries: ARTIFACT_TYPES,
    maxDeliveries: 3,
    deliveryCap: 10,
    notYetGraceMs: 1_000,
    dedupeTtlMs: 60_000,
    maxLen: 10_000,
  });
  return { prefix, artifact, one, two, settler, calls };
}

describe('EntrySettler and a done marker read before the same artifact was handled', () => {
  it('handles once when the other delivery is handled between the marker read and the settle', async () => {
    const { artifact, one, two, settler, calls } = await duplicatePair();
    const [late] = await settler.prepare([two]);
    expect(late!.done).toBe(false);
    const [early] = await settler.prepare([one]);
    expect(await settler.settle(early!, 1)).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls.get(artifact.id)).toBe(1);
  });

  it('handles once when the other delivery was in flight at the marker read and ends before the settle', async () => {
    let release = () => {};
    const { artifact, one, two, settler, calls } = await duplicatePair(new Promise<void>((r) => (release = r)));
    const [early] = await settler.prepare([one]);
    const first = settler.settle(early!, 1);
    const [late] = await settler.prepare([two]);
    release();
    expect(await first).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls.get(artifact.id)).toBe(1);
  });

  it('handles once when the other delivery ended so long ago (a thousand ends since) that its end is forgotten', async () => {
    const { prefix, artifact, one, two, settler, calls } = await duplicatePair();
    const [late] = await settler.prepare([two]);
    const [early] = await settler.prepare([one]);
    await settler.settle(early!, 1);
    const others: RawEntry[] = [];
    for (let i = 0; i < 1_100; i++) others.push(await entryOf(prefix, opsEvent()));
    await Promise.all((await settler.prepare(others)).map((d) => settler.settle(d, 1)));
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls.get(artifact.id)).toBe(1);
    expect(calls.size).toBe(1_101);
  });

  it('still trusts a marker read after the other delivery ended (no extra lookup)', async () => {
    const { artifact, one, two, settler, calls } = await duplicatePair();
    const [early] = await settler.prepare([one]);
    await settler.settle(early!, 1);
    const [late] = await settler.prepare([two]);
    expect(late!.done).toBe(true);
    expect(await settler.settle(late!, 1)).toBe(true);
    expect(calls.get(artifact.id)).toBe(1);
  });
});
