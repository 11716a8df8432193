import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { stackHoldersKey, stackHoldersReadyKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { APPLY_PATH, type PlanEvent } from '../../../src/plan/plan-states.js';
import { useTestRedis } from '../../support/redis-server.js';

// The stack lock asks, each time it finds a stack's key free, which plans still hold that stack
// (its lease may have lapsed). Those plans are listed per stack, so the question costs the same
// however many plans wait elsewhere.

let redis: Redis;

useTestRedis((_s, c) => (redis = c));

/** Calls of one Redis command since the server started. */
async function calls(command: string): Promise<number> {
  const m = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(await redis.info('commandstats'));
  return Number(m?.[1] ?? 0);
}

async function walk(store: PlanStore, id: string, stack: string, events: readonly PlanEvent[]): Promise<void> {
  await store.create({ id, goal: 'g', requestedBy: 'alice' });
  for (const e of events) expect((await store.advance(id, e, 'crew', e, { stack })).status).toBe('moved');
}

/** Up to WAIT_FOR_APPROVE: a plan that holds its stack until someone decides. */
const TO_APPROVAL = APPLY_PATH.slice(0, APPLY_PATH.indexOf('APPROVE'));

describe('the holders of a stack', () => {
  it('are read from the stack alone: 40 plans waiting on other stacks cost nothing', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await walk(store, 'p-mine', 'mine', TO_APPROVAL);
    expect((await store.activeOnStack('mine')).map((p) => p.id)).toEqual(['p-mine']);
    for (let i = 0; i < 40; i++) await walk(store, `p-other${i}`, `other-${i}`, TO_APPROVAL);
    const before = await calls('hmget');
    expect(await store.activeOnStack('mine')).toEqual([{ id: 'p-mine', state: 'WAIT_FOR_APPROVE' }]);
    expect(await store.activeOnStack('free')).toEqual([]);
    // One record read for the one holder (the INFO between the counts is not an HMGET).
    expect((await calls('hmget')) - before).toBe(1);
  });

  it('leave the list when their plan ends, and join it again when a rollback opens it', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await walk(store, 'p-1', 's1', APPLY_PATH);
    expect(await store.activeOnStack('s1')).toEqual([]);
    expect(await redis.smembers(stackHoldersKey(prefix, 's1'))).toEqual([]);
    expect((await store.advance('p-1', 'ROLLBACK_REQUESTED', 'bob', 'undo')).status).toBe('moved');
    expect(await store.activeOnStack('s1')).toEqual([{ id: 'p-1', state: 'ROLLBACK' }]);
    expect((await store.advance('p-1', 'ROLLBACK_DONE', 'forge', 'undone')).status).toBe('moved');
    expect(await store.activeOnStack('s1')).toEqual([]);
  });

  it('drops a member whose plan no longer holds the stack (a crash between its move and the list update)', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await walk(store, 'p-done', 's1', APPLY_PATH);
    await walk(store, 'p-queued', 's1', ['PLAN_SPEC']);
    await store.patch('p-queued', { queuedBehind: 'p-other' });
    await redis.sadd(stackHoldersKey(prefix, 's1'), 'p-done', 'p-gone');
    expect(await store.activeOnStack('s1')).toEqual([{ id: 'p-queued', state: 'PENDING', queuedBehind: 'p-other' }]);
    expect(await redis.smembers(stackHoldersKey(prefix, 's1'))).toEqual(['p-queued']);
  });

  it('are built from the open plans on a crew whose plans were admitted before the lists existed', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await walk(store, 'p-wait', 's1', TO_APPROVAL);
    await walk(store, 'p-applied', 's1', APPLY_PATH);
    await walk(store, 'p-elsewhere', 's2', TO_APPROVAL);
    // As an earlier version left them: no lists, no mark.
    await redis.del(stackHoldersKey(prefix, 's1'), stackHoldersKey(prefix, 's2'), stackHoldersReadyKey(prefix));
    expect(await store.activeOnStack('s1')).toEqual([{ id: 'p-wait', state: 'WAIT_FOR_APPROVE' }]);
    expect(await redis.smembers(stackHoldersKey(prefix, 's2'))).toEqual(['p-elsewhere']);
    expect(await redis.get(stackHoldersReadyKey(prefix))).toBe('1');
  });
});
