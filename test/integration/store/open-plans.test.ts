import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { activePlansKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { APPLY_PATH } from '../../../src/plan/plan-states.js';
import { useTestRedis } from '../../support/redis-server.js';

// The Conductor's sweep (every few seconds in every crew process, and once in each command) judges
// the open plans by state, stack and times: it reads those fields, not the whole records, so a
// crew with many plans waiting for approval does not decode their specs and reviews each time.

let redis: Redis;

useTestRedis((_s, c) => (redis = c));

/** Calls of one Redis command since the server started. */
async function calls(command: string): Promise<number> {
  const m = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(await redis.info('commandstats'));
  return Number(m?.[1] ?? 0);
}

const TO_APPROVAL = APPLY_PATH.slice(0, APPLY_PATH.indexOf('APPROVE'));

describe('the open plans as the sweep reads them', () => {
  it('are their state, stack and times, read without a whole record', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    for (let i = 0; i < 30; i++) {
      const id = `p-wait${i}`;
      await store.create({ id, goal: 'g', requestedBy: 'alice' });
      for (const e of TO_APPROVAL) await store.advance(id, e, 'crew', e, { stack: `s${i}` });
      await store.patch(id, { expiresAt: '2030-01-01T00:00:00.000Z' });
    }
    await store.create({ id: 'p-new', goal: 'g', requestedBy: 'bob' });
    const before = await calls('hgetall');
    const open = await store.openPlans();
    expect((await calls('hgetall')) - before).toBe(0);
    expect(open).toHaveLength(31);
    const full = await store.get('p-wait7');
    expect(open.find((p) => p.id === 'p-wait7')).toEqual({
      id: 'p-wait7',
      state: 'WAIT_FOR_APPROVE',
      stack: 's7',
      createdAt: full?.createdAt,
      updatedAt: full?.updatedAt,
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const fresh = open.find((p) => p.id === 'p-new');
    expect(fresh?.state).toBe('DRAFTING');
    expect(fresh && 'stack' in fresh).toBe(false);
    // The same plans as the whole-record read, by the fields the sweep uses.
    const pick = ({ id, state, stack, createdAt, updatedAt, expiresAt, queuedBehind }: (typeof open)[number]) => ({
      id,
      state,
      stack,
      createdAt,
      updatedAt,
      expiresAt,
      queuedBehind,
    });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(open.map(pick).sort(byId)).toEqual((await store.active()).map(pick).sort(byId));
  });

  it('drop a member left behind by a crash between a move to DONE and the index update, or whose record is gone', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new PlanStore({ redis, prefix });
    await store.create({ id: 'p-done', goal: 'g', requestedBy: 'alice' });
    for (const e of APPLY_PATH) await store.advance('p-done', e, 'crew', e, { stack: 's1' });
    await store.create({ id: 'p-open', goal: 'g', requestedBy: 'alice' });
    await redis.sadd(activePlansKey(prefix), 'p-done', 'p-gone');
    expect((await store.openPlans()).map((p) => p.id)).toEqual(['p-open']);
    expect(await redis.smembers(activePlansKey(prefix))).toEqual(['p-open']);
  });
});
