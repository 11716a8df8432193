import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { activePlansKey, planIndexKey, planKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
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
