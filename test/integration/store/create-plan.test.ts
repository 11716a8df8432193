import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { activePlansKey, planIndexKey, planKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { APPLY_PATH } from '../../../src/plan/plan-states.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;

useTestRedis((_s, c) => (redis = c));

describe('PlanStore.create', () => {
  it('lets exactly one of many concurrent creates of one id win, and stores its record whole', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.create({ id: 'p-race', goal: `goal ${i}`, requestedBy: `u${i}` })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(String(r.reason)).toContain('plan p-race exists already');
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<PlanStore['create']>>>).value;
    expect(await store.get('p-race')).toEqual(winner);
    expect(await redis.zrange(planIndexKey(prefix), 0, -1)).toEqual(['p-race']);
    expect(await redis.smembers(activePlansKey(prefix))).toEqual(['p-race']);
    expect(await redis.hget(planKey(prefix, 'p-race'), 'goal')).toBe(winner.goal);
  });
});

describe('PlanStore open-plans index', () => {
  // Up to APPLYING: the last step, APPLY_DONE, is what the first test watches.
  const walk = APPLY_PATH.slice(0, -1);

  it('leaves out a DONE plan (sweeps and the lock check do not grow with applied plans) and lists it again when it is rolled back', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await store.create({ id: 'p-open', goal: 'g', requestedBy: 'alice' });
    await store.create({ id: 'p-done', goal: 'g', requestedBy: 'alice' });
    for (const e of walk) await store.advance('p-done', e, 'crew', e, { stack: 's1' });
    expect((await store.activeOnStack('s1')).map((p) => p.id)).toEqual(['p-done']);
    expect((await store.advance('p-done', 'APPLY_DONE', 'forge', 'applied')).status).toBe('moved');
    expect(await redis.smembers(activePlansKey(prefix))).toEqual(['p-open']);
    expect((await store.active()).map((p) => p.id)).toEqual(['p-open']);
    expect(await store.activeOnStack('s1')).toEqual([]);
    // A rollback opens it again: the sweep that re-dispatches a lost rollback sees it.
    expect((await store.advance('p-done', 'ROLLBACK_REQUESTED', 'bob', 'undo')).status).toBe('moved');
    expect((await redis.smembers(activePlansKey(prefix))).sort()).toEqual(['p-done', 'p-open']);
    expect((await store.active()).find((p) => p.id === 'p-done')?.state).toBe('ROLLBACK');
  });

  it('drops a member left behind by a crash between the move to DONE and its removal when the sweep reads it', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await store.create({ id: 'p-done', goal: 'g', requestedBy: 'alice' });
    for (const e of APPLY_PATH) await store.advance('p-done', e, 'crew', e, { stack: 's1' });
    await redis.sadd(activePlansKey(prefix), 'p-done');
    expect(await store.active()).toEqual([]);
    expect(await redis.smembers(activePlansKey(prefix))).toEqual([]);
  });
});

describe('PlanStore.advance from the record its caller has just read', () => {
  it('moves without reading the plan again, and decides on the plan as it is when that record is stale', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    const drafted = await store.create({ id: 'p-seen', goal: 'g', requestedBy: 'alice' });
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (id: string) => (reads++, get(id));
    const moved = await store.advance('p-seen', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's1' }, drafted);
    expect(moved).toMatchObject({ status: 'moved', from: 'DRAFTING', to: 'PENDING' });
    expect(reads).toBe(0);
    // Stale (still DRAFTING): an event its state refuses is judged again on the plan as stored.
    expect(await store.advance('p-seen', 'FORGE_ACK', 'forge', 'ack', {}, drafted)).toMatchObject({
      status: 'moved',
      from: 'PENDING',
      to: 'IN_PROGRESS',
    });
    // Stale, with an event its state allows: the compare-and-set loses, and the stored state refuses it.
    expect(await store.advance('p-seen', 'PLAN_SPEC', 'atlas', 'again', {}, drafted)).toMatchObject({
      status: 'refused',
      state: 'IN_PROGRESS',
    });
    expect((await store.history('p-seen')).map((t) => t.to)).toEqual(['PENDING', 'IN_PROGRESS']);
  });
});
