import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { trimStreams } from '../../../src/bus/trim-streams.js';
import { createLogger } from '../../../src/log/create-logger.js';
import type { PlanEvent } from '../../../src/plan/plan-states.js';
import {
  artifactKey,
  artifactRefsKey,
  doneKey,
  planApprovalsKey,
  planArtifactsKey,
  planHistoryKey,
  planResentKey,
  planIndexKey,
  planKey,
  stackKey,
  streamKey,
} from '../../../src/redis/keys.js';
import { RETENTION_CRON, startRetention } from '../../../src/runtime/start-retention.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { RedisArtifactStore } from '../../../src/store/redis-artifact-store.js';
import { expirePlans } from '../../../src/store/run-retention.js';
import { useTestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

const DAY = 86_400_000;
const prefix = () => `t${randomBytes(4).toString('hex')}`;
const ids = async (stream: string) => (await redis.xrange(stream, '-', '+')).map(([id]) => id);

/** A plan created and moved through `events` at `at` (so its record and index say so). */
async function planAt(p: string, id: string, at: Date, events: PlanEvent[], stack?: string): Promise<void> {
  const store = new PlanStore({ redis, prefix: p, now: () => at });
  await store.create({ id, goal: 'g', requestedBy: 'alice' });
  for (const [i, e] of events.entries()) {
    const r = await store.advance(id, e, 'test', 'step', i === 0 && stack ? { stack } : {});
    expect(r.status).toBe('moved');
  }
}

const TO_WAIT: PlanEvent[] = ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'];

describe('stream retention', () => {
  it('trims entries older than the retention, never one still pending or not yet delivered', async () => {
    const p = prefix();
    const stream = streamKey(p, 'ops.event');
    const now = Date.now();
    const old = now - 10 * DAY;
    for (let i = 1; i <= 6; i++) await redis.xadd(stream, `${old + i}-0`, 'n', String(i));
    await redis.xadd(stream, `${now - 1_000}-0`, 'n', 'recent');
    await redis.xgroup('CREATE', stream, 'g', '0');
    // Group g has read 1..4 and acked 1 and 2: 3 and 4 are pending, 5 and 6 not delivered yet.
    await redis.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 4, 'STREAMS', stream, '>');
    await redis.xack(stream, 'g', `${old + 1}-0`, `${old + 2}-0`);
    expect(await trimStreams(redis, { prefix: p, retentionMs: 7 * DAY, now })).toBe(2);
    expect(await ids(stream)).toEqual([...[3, 4, 5, 6].map((i) => `${old + i}-0`), `${now - 1_000}-0`]);

    // Entry 4 stays pending while 3 is acked: 3 goes, 4 and everything after it stays.
    await redis.xack(stream, 'g', `${old + 3}-0`);
    await trimStreams(redis, { prefix: p, retentionMs: 7 * DAY, now });
    expect((await ids(stream))[0]).toBe(`${old + 4}-0`);

    // A second group that has read nothing keeps every entry from its last-delivered id on.
    await redis.xack(stream, 'g', `${old + 4}-0`);
    await redis.xgroup('CREATE', stream, 'late', `${old + 4}-0`);
    await redis.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xack(stream, 'g', `${old + 5}-0`, `${old + 6}-0`, `${now - 1_000}-0`);
    await trimStreams(redis, { prefix: p, retentionMs: 7 * DAY, now });
    expect(await ids(stream)).toEqual([4, 5, 6].map((i) => `${old + i}-0`).concat(`${now - 1_000}-0`));

    // Nothing pending anywhere and everything delivered: only the recent entry is left.
    await redis.xreadgroup('GROUP', 'late', 'c2', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xack(stream, 'late', `${old + 5}-0`, `${old + 6}-0`, `${now - 1_000}-0`);
    await trimStreams(redis, { prefix: p, retentionMs: 7 * DAY, now });
    expect(await ids(stream)).toEqual([`${now - 1_000}-0`]);
  });
});

describe('plan retention', () => {
  it('removes only ended plans unchanged for longer than the retention, with their history', async () => {
    const p = prefix();
    const now = Date.now();
    const old = new Date(now - 40 * DAY);
    await planAt(p, 'p-old-blocked', old, ['DESIGN_BLOCKED']);
    await planAt(p, 'p-old-rejected', old, [...TO_WAIT, 'REJECT']);
    await planAt(p, 'p-old-waiting', old, TO_WAIT);
    await planAt(p, 'p-old-pending', old, ['PLAN_SPEC']);
    await planAt(p, 'p-old-done', old, [...TO_WAIT, 'APPROVE', 'APPLY_DONE']);
    await planAt(p, 'p-new-blocked', new Date(now - DAY), ['DESIGN_BLOCKED']);
    // Ended long ago, but the plan its stack currently stands on.
    await planAt(
      p,
      'p-old-current',
      old,
      [...TO_WAIT, 'APPROVE', 'APPLY_DONE', 'ROLLBACK_REQUESTED', 'ROLLBACK_FAILED'],
      'web',
    );
    await redis.hset(stackKey(p, 'web'), 'currentPlan', 'p-old-current');
    // Rejected after one approval of a two-person quorum, and re-sent once by a sweep.
    const before = new PlanStore({ redis, prefix: p });
    const approval = { by: 'U2', at: old.toISOString(), planSha256: 'a'.repeat(64), decisionId: 'd-1' };
    expect(await before.addApproval('p-old-rejected', approval, 'slack:U2')).toBe(true);
    expect(await before.claimResend('p-old-rejected', 'build', 60_000)).toBe(true);

    expect(await expirePlans(redis, { prefix: p, retentionMs: 30 * DAY, now })).toBe(2);
    const store = new PlanStore({ redis, prefix: p });
    for (const gone of ['p-old-blocked', 'p-old-rejected']) {
      expect(await store.get(gone)).toBeUndefined();
      expect(await redis.exists(planHistoryKey(p, gone))).toBe(0);
      expect(await redis.exists(planApprovalsKey(p, gone), planResentKey(p, gone, 'build'))).toBe(0);
      // Nothing of the plan is left under its hash tag.
      expect(await redis.keys(`${planKey(p, gone)}*`)).toEqual([]);
    }
    for (const [kept, state] of [
      ['p-old-waiting', 'WAIT_FOR_APPROVE'],
      ['p-old-pending', 'PENDING'],
      ['p-old-done', 'DONE'],
      ['p-new-blocked', 'BLOCKED'],
      ['p-old-current', 'FAILED'],
    ] as const) {
      expect((await store.get(kept))?.state).toBe(state);
      expect((await store.history(kept)).length).toBeGreaterThan(0);
    }
    expect((await redis.zrange(planIndexKey(p), 0, -1)).sort()).toEqual(
      ['p-new-blocked', 'p-old-current', 'p-old-done', 'p-old-pending', 'p-old-waiting'].sort(),
    );
    // A second pass finds nothing more to do.
    expect(await expirePlans(redis, { prefix: p, retentionMs: 30 * DAY, now })).toBe(0);
  });

  it("takes the bus's done markers of an expired plan along, and only those", async () => {
    const p = prefix();
    const now = Date.now();
    const old = new Date(now - 40 * DAY);
    await planAt(p, 'p-gone-m', old, [...TO_WAIT, 'REJECT']);
    await planAt(p, 'p-kept-m', old, TO_WAIT);
    // Another plan whose id starts like the expired one's: a prefix is not a match.
    await planAt(p, 'p-gone-mx', new Date(now - DAY), [...TO_WAIT, 'REJECT']);
    const markers = (planId: string) => [
      doneKey(p, 'goal.submitted', 'atlas', `a-${planId}-1`, planId),
      doneKey(p, 'validate.pending', 'sentinel', `a-${planId}-2`, planId),
    ];
    for (const id of ['p-gone-m', 'p-kept-m', 'p-gone-mx'])
      for (const k of markers(id)) await redis.set(k, '1-0', 'PX', 7 * DAY);

    expect(await expirePlans(redis, { prefix: p, retentionMs: 30 * DAY, now })).toBe(1);
    for (const k of markers('p-gone-m')) expect(await redis.exists(k), k).toBe(0);
    for (const k of [...markers('p-kept-m'), ...markers('p-gone-mx')]) expect(await redis.exists(k), k).toBe(1);
  });

  it("takes an expired plan's artifacts along, except those another plan still refers to", async () => {
    const p = prefix();
    const now = Date.now();
    const old = new Date(now - 40 * DAY);
    await planAt(p, 'p-gone-a', old, [...TO_WAIT, 'REJECT']);
    await planAt(p, 'p-gone-b', old, ['DESIGN_BLOCKED']);
    await planAt(p, 'p-done', old, [...TO_WAIT, 'APPROVE', 'APPLY_DONE']);
    const artifacts = new RedisArtifactStore({ redis, prefix: p });
    const own = await artifacts.put('plan-json', 'p-gone-a', Buffer.from('{"only":"a"}'));
    const sharedWithDone = await artifacts.put('rendered-config', 'p-gone-a', Buffer.from('{"config":1}'));
    expect(await artifacts.put('rendered-config', 'p-done', Buffer.from('{"config":1}'))).toBe(sharedWithDone);
    const sharedByEnded = await artifacts.put('plan-file', 'p-gone-a', Buffer.from('tfplan-bytes'));
    expect(await artifacts.put('plan-file', 'p-gone-b', Buffer.from('tfplan-bytes'))).toBe(sharedByEnded);
    const doneOwn = await artifacts.put('plan-file', 'p-done', Buffer.from('applied-file'));

    expect(await expirePlans(redis, { prefix: p, retentionMs: 30 * DAY, now })).toBe(2);
    // Gone: the one only an expired plan stored, and the one both expired plans stored.
    for (const sha of [own, sharedByEnded]) {
      expect(await artifacts.get(sha)).toBeUndefined();
      expect(await redis.exists(artifactRefsKey(p, sha))).toBe(0);
    }
    // Kept, with their TTL: what the DONE plan stored (its own and the one it shared).
    expect((await artifacts.get(sharedWithDone))?.toString()).toBe('{"config":1}');
    expect((await artifacts.get(doneOwn))?.toString()).toBe('applied-file');
    expect(await redis.smembers(artifactRefsKey(p, sharedWithDone))).toEqual(['p-done']);
    expect(await redis.pttl(artifactKey(p, sharedWithDone))).toBeGreaterThan(7 * DAY);
    expect(await redis.exists(planArtifactsKey(p, 'p-gone-a'), planArtifactsKey(p, 'p-gone-b'))).toBe(0);
    expect(await redis.scard(planArtifactsKey(p, 'p-done'))).toBe(2);
  });

  it('runs once when started and then on an hourly schedule', async () => {
    const p = prefix();
    await planAt(p, 'p-ended', new Date(Date.now() - 40 * DAY), ['DESIGN_BLOCKED']);
    const job = startRetention({
      redis,
      prefix: p,
      logger: createLogger({ level: 'silent' }),
      streamRetentionMs: 7 * DAY,
      planRetentionMs: 30 * DAY,
    });
    try {
      // Nobody asks for a pass: the one the job starts with removes the ended plan.
      await waitFor(async () => (await redis.exists(planKey(p, 'p-ended'))) === 0);
      await job.runNow(); // joins the first pass if it is still finishing
      expect((await job.runNow())?.expiredPlans).toBe(0);
    } finally {
      await job.stop();
    }
    const next = new Cron(RETENTION_CRON, { paused: true }).nextRun(new Date('2026-01-01T10:20:00Z'));
    expect(next?.toISOString()).toBe('2026-01-01T11:17:00.000Z');
  });
});
