import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { awsSpec } from '../../support/forge-specs.js';
import { useTestRedis } from '../../support/redis-server.js';
import { conductorRig } from './conductor-rig.js';
import { sleep, waitFor } from '../../support/wait-for.js';

// The stack lock is a lease with a TTL. A plan may wait days for its approval, often with no
// crew process running at all (a CLI-only team); the stack must stay its own all that time.

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

const SHA = 'b'.repeat(64);
const REVIEWED = ['FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const;

type Rig = ReturnType<typeof conductorRig>;

/** A plan for `stack` submitted to the Conductor as Atlas would (a PlanSpec on plan.pending). */
async function submit(rig: Rig, id: string, stack: string, desiredCapacity = 1): Promise<void> {
  await rig.plans.create({ id, goal: `g ${id}`, requestedBy: 'alice' });
  const spec = { ...awsSpec({ desiredCapacity, maxSize: Math.max(2, desiredCapacity) }), stack };
  await rig.bus.publish('plan.pending', makeArtifact('PlanSpec', id, spec, { producer: 'atlas', cause: `goal:${id}` }));
  await waitFor(async () => (await rig.plans.get(id))?.state === 'PENDING');
}

describe('the stack lock as a lease', () => {
  it('stays with a plan that waits for approval past the TTL: a later plan for the stack queues behind it', async () => {
    const rig = conductorRig(redis, { lockTtlMs: 300 });
    await submit(rig, 'p-first', 'lease');
    await rig.walk('p-first', REVIEWED);
    await sleep(600); // no crew process runs: nothing renews the lease, its key expires

    await submit(rig, 'p-second', 'lease', 3);
    const second = await rig.plans.get('p-second');
    expect(second).toMatchObject({ state: 'PENDING', queuedBehind: 'p-first' });
    expect(await rig.lock.holder('lease')).toBe('p-first');
    expect((await rig.published('build.request')).map((a) => a.planId)).toEqual(['p-first']);

    // The holder ends: the queued plan starts, from the stack's version at that time.
    await rig.conductor.expire('p-first');
    await waitFor(async () => (await rig.plans.get('p-second'))?.queuedBehind === undefined);
    expect(await rig.lock.holder('lease')).toBe('p-second');
    await rig.bus.close();
  });

  it('is renewed for plans that hold their stack, and never for ended or queued ones', async () => {
    const rig = conductorRig(redis, { lockTtlMs: 1_000 });
    await submit(rig, 'p-holds', 'renewed');
    await submit(rig, 'p-waits', 'renewed');
    await submit(rig, 'p-ended', 'other');
    await rig.conductor.advance('p-ended', 'CANCEL', 'admin', 'cancelled');
    await sleep(700);
    await rig.scheduler.renewLocks();
    expect(await redis.pttl(`${rig.prefix}:stack:{stack:renewed}:lock`)).toBeGreaterThan(700);
    expect(await rig.lock.holder('renewed')).toBe('p-holds');
    expect(await rig.lock.holder('other')).toBeUndefined();

    // A lease that lapsed anyway (no process ran for longer than the TTL) is taken back.
    await redis.del(`${rig.prefix}:stack:{stack:renewed}:lock`);
    await rig.scheduler.renewLocks();
    expect(await redis.get(`${rig.prefix}:stack:{stack:renewed}:lock`)).toBe('p-holds');
    await rig.bus.close();
  });

  it("is never made again for a plan that ended after the sweep read it (an ended plan's lock stays released)", async () => {
    const rig = conductorRig(redis);
    await submit(rig, 'p-rejected', 'released');
    await rig.walk('p-rejected', REVIEWED);
    // The sweep reads the active plans, then the plan is rejected and its stack released.
    const snapshot = await rig.plans.active();
    await rig.conductor.advance('p-rejected', 'REJECT', 'bob', 'rejected');
    await waitFor(async () => (await redis.exists(`${rig.prefix}:stack:{stack:released}:lock`)) === 0);
    await rig.scheduler.renewLocks(snapshot);
    expect(await redis.exists(`${rig.prefix}:stack:{stack:released}:lock`)).toBe(0);
    await rig.bus.close();
  });

  it('is named by `holder` even while its key has lapsed, so an admin unlock finds the plan to cancel', async () => {
    const rig = conductorRig(redis, { lockTtlMs: 200 });
    await submit(rig, 'p-lapsed', 'unlockable');
    await sleep(400);
    expect(await redis.exists(`${rig.prefix}:stack:{stack:unlockable}:lock`)).toBe(0);
    expect(await rig.lock.holder('unlockable')).toBe('p-lapsed');
    await rig.bus.close();
  });
});

describe('a plan re-planned because its saved plan went stale', () => {
  it('takes the stack version current at the re-plan as its base, so its rollback restores it instead of destroying', async () => {
    const rig = conductorRig(redis);
    await submit(rig, 'p-stale', 'rebased', 3);
    expect((await rig.plans.get('p-stale'))?.baseVersion).toBe(0);
    await rig.walk('p-stale', [...REVIEWED, 'APPROVE']);
    // Meanwhile another plan was applied to the stack (version 1).
    await rig.stacks.recordApplied('rebased', {
      planId: 'p-other',
      spec: null,
      monthlyUsd: 10,
      appliedAt: '2026-12-01T10:00:00.000Z',
    });

    await rig.bus.publish(
      'apply.result',
      makeArtifact(
        'ApplyResult',
        'p-stale',
        { result: 'APPLY_STALE', planSha256: SHA, outputs: {}, detail: 'stale' },
        { producer: 'forge', cause: 'x' },
      ),
    );
    await waitFor(async () => (await rig.plans.get('p-stale'))?.state === 'IN_PROGRESS');
    expect((await rig.plans.get('p-stale'))?.baseVersion).toBe(1);

    await rig.walk('p-stale', ['PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED', 'APPROVE', 'APPLY_DONE']);
    await rig.conductor.startRollback((await rig.plans.get('p-stale'))!, 'ROLLBACK_REQUESTED', 'alice', 'undo');
    const requests = await rig.published('rollback.request');
    expect(requests.map((r) => r.payload.toVersion)).toEqual([1]);
    await rig.bus.close();
  });
});
