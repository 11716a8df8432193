import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Conductor } from '../../../src/conductor/conductor.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { planResentKey, streamKey } from '../../../src/redis/keys.js';
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

  it('a goal lost while DRAFTING is re-sent as it was sent, its drift triage too', async () => {
    rig = conductorRig(redis);
    const { prefix } = rig;
    const past = new PlanStore({ redis, prefix, now: () => new Date(Date.now() - 180_000) });
    const drift = { action: 'adopt' as const, version: 3, set: { desiredCapacity: 2 } };
    await past.create({
      id: 'p-lostdrift',
      goal: 'Adopt drift on stack web3',
      requestedBy: 'alice',
      stack: 'web3',
      drift,
    });
    await rig.conductor.reconcile();
    const goals = (await rig.published('goal.submitted')).filter((a) => a.planId === 'p-lostdrift');
    expect(goals.map((g) => g.payload)).toEqual([
      { text: 'Adopt drift on stack web3', requestedBy: 'alice', stack: 'web3', drift },
    ]);
  });

  it('a queued plan drafted again is re-sent under its own goal id, two minutes after its move back to DRAFTING', async () => {
    rig = conductorRig(redis);
    const { prefix, plans } = rig;
    const past = new PlanStore({ redis, prefix, now: () => new Date(Date.now() - 600_000) });
    await past.create({ id: 'p-redraft', goal: 'scale web4 to 3', requestedBy: 'alice' });
    await past.advance('p-redraft', 'PLAN_SPEC', 'test', 'spec', { stack: 'web4', spec: { ...SPEC, stack: 'web4' } });
    // Its stack moved while it was queued: back to DRAFTING just now (created ten minutes ago).
    await plans.advance('p-redraft', 'STACK_MOVED', 'conductor', 'stack web4 moved', { redraftedAt: 2 });
    await rig.conductor.reconcile();
    expect((await rig.published('goal.submitted')).filter((a) => a.planId === 'p-redraft')).toHaveLength(0);
    const later = new PlanStore({ redis, prefix, now: () => new Date(Date.now() - 180_000) });
    await later.advance('p-redraft', 'PLAN_SPEC', 'test', 'spec', {});
    await later.advance('p-redraft', 'STACK_MOVED', 'conductor', 'stack web4 moved again', { redraftedAt: 3 });
    await rig.conductor.reconcile();
    const goals = (await rig.published('goal.submitted')).filter((a) => a.planId === 'p-redraft');
    expect(goals.map((g) => g.payload)).toEqual([{ text: 'scale web4 to 3', requestedBy: 'alice', stack: 'web4' }]);
    // Not the submission's id, which Atlas has read already: the id of the goal read at version 3.
    const ids = (await redis.xrange(streamKey(prefix, 'goal.submitted'), '-', '+')).map(
      ([, f]) => (JSON.parse(f[1]!) as { id: string; causationId?: string }).causationId,
    );
    expect(ids).toEqual(['goal:p-redraft:v3']);
  });
});
