import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../../support/redis-server.js';
import { conductorRig } from './conductor-rig.js';

// A plan takes its stack's lock while it is still DRAFTING: admission comes first, the move to
// PENDING after. A second plan admitted in that gap must queue, not take the lock over.

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

describe('two plans admitted to one stack at the same moment', () => {
  it('queues the second while the first is between taking the lock and moving to PENDING', async () => {
    const rig = conductorRig(redis);
    await rig.plans.create({ id: 'p-first', goal: 'g', requestedBy: 'alice' });
    await rig.plans.create({ id: 'p-second', goal: 'g', requestedBy: 'carol' });
    // The first plan's Conductor has taken the lock and not yet committed its transition.
    expect(await rig.scheduler.admit('p-first', 'race')).toMatchObject({ admitted: true });
    expect((await rig.plans.get('p-first'))?.state).toBe('DRAFTING');
    const second = await rig.scheduler.admit('p-second', 'race');
    expect(second).toMatchObject({ admitted: false, holder: 'p-first' });
    expect(await rig.lock.holder('race')).toBe('p-first');
    await rig.bus.close();
  });

  it('still takes the lock over from a holder that has ended', async () => {
    const rig = conductorRig(redis);
    await rig.plans.create({ id: 'p-gone', goal: 'g', requestedBy: 'alice' });
    expect(await rig.scheduler.admit('p-gone', 'ended')).toMatchObject({ admitted: true });
    await rig.plans.advance('p-gone', 'CANCEL', 'admin', 'cancelled');
    await rig.plans.create({ id: 'p-next', goal: 'g', requestedBy: 'carol' });
    expect(await rig.scheduler.admit('p-next', 'ended')).toMatchObject({ admitted: true });
    expect(await rig.lock.holder('ended')).toBe('p-next');
    await rig.bus.close();
  });
});
