import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Conductor } from '../../../src/conductor/conductor.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { planResentKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';
import { openAccess } from '../../support/open-access.js';
import { awsSpec } from '../../support/forge-specs.js';
import { conductorRig } from './conductor-rig.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

let rig: ReturnType<typeof conductorRig> | undefined;
afterEach(async () => {
  await rig?.bus.close();
  rig = undefined;
});

const SPEC = awsSpec();

describe('sweeps re-send a lost request, once per interval for every process', () => {
  it('a plan PENDING past the grace gets one build request from two sweeps, not one per sweep', async () => {
    rig = conductorRig(redis);
    const { prefix, plans, bus, stacks, lock, scheduler } = rig;
    // The plan went PENDING two minutes ago and its build request never reached the stream.
    const past = new PlanStore({ redis, prefix, now: () => new Date(Date.now() - 120_000) });
    await past.create({ id: 'p-lostbuild', goal: 'g', requestedBy: 'alice' });
    await past.advance('p-lostbuild', 'PLAN_SPEC', 'test', 'spec', { stack: SPEC.stack, spec: SPEC });
    expect((await plans.get('p-lostbuild'))?.state).toBe('PENDING');

    // Two workers' Conductors sweep, each twice.
    const logger = createLogger({ level: 'silent' });
    const other = new Conductor({ bus, plans, stacks, lock, scheduler, logger, access: openAccess(redis, prefix) });
    for (const c of [rig.conductor, other, rig.conductor, other]) await c.reconcile();

    const builds = (await rig.published('build.request')).filter((a) => a.planId === 'p-lostbuild');
    expect(builds).toHaveLength(1);
    // The next re-send waits for the marker to lapse (a few minutes), then a sweep sends again.
    expect(await redis.pttl(planResentKey(prefix, 'p-lostbuild', 'build'))).toBeGreaterThan(60_000);
    await redis.del(planResentKey(prefix, 'p-lostbuild', 'build'));
    await other.reconcile();
    expect((await rig.published('build.request')).filter((a) => a.planId === 'p-lostbuild')).toHaveLength(2);
  });

  it('a plan PENDING for less than the grace gets nothing re-sent', async () => {
    rig = conductorRig(redis);
    const { plans } = rig;
    await plans.create({ id: 'p-fresh', goal: 'g', requestedBy: 'alice' });
    await plans.advance('p-fresh', 'PLAN_SPEC', 'test', 'spec', { stack: 'web2', spec: { ...SPEC, stack: 'web2' } });
    await rig.conductor.reconcile();
    expect((await rig.published('build.request')).filter((a) => a.planId === 'p-fresh')).toHaveLength(0);
  });
});
