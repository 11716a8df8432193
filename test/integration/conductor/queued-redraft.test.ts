import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { streamKey } from '../../../src/redis/keys.js';
import { awsSpec } from '../../support/forge-specs.js';
import { useTestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { conductorRig } from './conductor-rig.js';
import { PlanOperations } from '../../../src/conductor/plan-operations.js';
import { openAccess } from '../../support/open-access.js';

// A plan queued behind one that then changes the stack was drafted against a version that is
// gone. At its turn it goes back to DRAFTING and Atlas reads its goal again; it keeps its turn
// (the stack's lock) meanwhile, ahead of every plan queued after it.

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

type Rig = ReturnType<typeof conductorRig>;
const STACK = 'moves';
const REVIEWED = ['FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED', 'APPROVE'] as const;

/** Atlas's answer to a plan's goal: a PlanSpec for STACK on plan.pending. */
async function specFor(rig: Rig, id: string, cause: string, desiredCapacity = 1): Promise<void> {
  const spec = { ...awsSpec({ desiredCapacity, maxSize: Math.max(2, desiredCapacity) }), stack: STACK };
  await rig.bus.publish('plan.pending', makeArtifact('PlanSpec', id, spec, { producer: 'atlas', cause }));
}

/** Three plans for STACK: p-aa holds it, p-bb and p-cc queue behind it, all drafted at version 0. */
async function holderAndTwoQueued(rig: Rig): Promise<void> {
  for (const [id, n] of [
    ['p-aa', 1],
    ['p-bb', 2],
    ['p-cc', 3],
  ] as const) {
    await rig.plans.create({ id, goal: `scale ${STACK} to ${n}`, requestedBy: 'alice' });
    await specFor(rig, id, `goal:${id}`, n);
    await waitFor(async () => (await rig.plans.get(id))?.state === 'PENDING');
  }
  expect(await rig.plans.get('p-cc')).toMatchObject({ queuedBehind: 'p-aa', baseVersion: 0 });
}

/** p-aa applies: the stack is at version 1 and p-aa DONE, which frees the stack for the queue. */
async function holderApplies(rig: Rig): Promise<void> {
  await rig.walk('p-aa', REVIEWED);
  const spec = { ...awsSpec(), stack: STACK };
  await rig.stacks.recordApplied(STACK, { planId: 'p-aa', spec, monthlyUsd: 100, appliedAt: new Date().toISOString() });
  await rig.conductor.advance('p-aa', 'APPLY_DONE', 'forge', 'applied');
}

/** The causation ids of the goals published for `planId`. */
async function goalCauses(rig: Rig, planId: string): Promise<Array<string | undefined>> {
  return (await redis.xrange(streamKey(rig.prefix, 'goal.submitted'), '-', '+'))
    .map(([, f]) => JSON.parse(f[1]!) as { planId: string; causationId?: string })
    .filter((a) => a.planId === planId)
    .map((a) => a.causationId);
}

describe('a queued plan whose stack moved while it waited', () => {
  it('is drafted again at its turn, keeps the stack meanwhile, and is built ahead of the plans queued after it', async () => {
    const rig = conductorRig(redis);
    await holderAndTwoQueued(rig);
    await holderApplies(rig);

    const drafting = await waitFor(async () => {
      const p = await rig.plans.get('p-bb');
      return p?.state === 'DRAFTING' ? p : undefined;
    });
    expect(drafting).toMatchObject({ redraftedAt: 1 });
    expect(drafting.queuedBehind).toBeUndefined();
    expect(await rig.lock.holder(STACK)).toBe('p-bb');
    expect(await rig.queue.list(STACK)).toEqual(['p-cc']);
    // Its goal, as it was sent, under a new id (Atlas has read the first one already).
    expect(await goalCauses(rig, 'p-bb')).toEqual(['goal:p-bb:v1']);
    const [goal] = (await rig.published('goal.submitted')).filter((a) => a.planId === 'p-bb');
    expect(goal?.payload).toEqual({ text: `scale ${STACK} to 2`, requestedBy: 'alice', stack: STACK });
    expect((await rig.published('build.request')).map((a) => a.planId)).toEqual(['p-aa']);

    // Atlas answers: admitted at once (it holds the stack), against version 1, and built.
    await specFor(rig, 'p-bb', 'goal:p-bb:v1', 2);
    const pending = await waitFor(async () => {
      const p = await rig.plans.get('p-bb');
      return p?.state === 'PENDING' ? p : undefined;
    });
    expect(pending.baseVersion).toBe(1);
    expect(pending.queuedBehind).toBeUndefined();
    await waitFor(async () => (await rig.published('build.request')).some((a) => a.planId === 'p-bb'));
    expect(await rig.lock.holder(STACK)).toBe('p-bb');
    expect(await rig.queue.list(STACK)).toEqual(['p-cc']);
    expect((await rig.plans.get('p-cc'))?.state).toBe('PENDING');
    expect((await rig.plans.history('p-bb')).map((h) => [h.to, h.event])).toEqual([
      ['PENDING', 'PLAN_SPEC'],
      ['DRAFTING', 'STACK_MOVED'],
      ['PENDING', 'PLAN_SPEC'],
    ]);
    await rig.bus.close();
  });

  it('blocked when read again, it frees the stack for the next in line, which is drafted again in turn', async () => {
    const rig = conductorRig(redis);
    await holderAndTwoQueued(rig);
    await holderApplies(rig);
    await waitFor(async () => (await rig.plans.get('p-bb'))?.state === 'DRAFTING');

    await rig.bus.publish(
      'plan.pending',
      makeArtifact(
        'DesignBlocked',
        'p-bb',
        { reason: 'Nothing to change.', rationale: [], attempts: 1 },
        { producer: 'atlas', cause: 'goal:p-bb:v1' },
      ),
    );
    await waitFor(async () => (await rig.plans.get('p-bb'))?.state === 'BLOCKED');
    // p-cc was drafted at version 0 too: its turn comes, and it is drafted again rather than built.
    await waitFor(async () => (await rig.plans.get('p-cc'))?.state === 'DRAFTING');
    expect(await rig.lock.holder(STACK)).toBe('p-cc');
    expect(await rig.queue.list(STACK)).toEqual([]);
    expect(await goalCauses(rig, 'p-cc')).toEqual(['goal:p-cc:v1']);
    expect((await rig.published('build.request')).map((a) => a.planId)).toEqual(['p-aa']);
    await rig.bus.close();
  });

  it('cancelled by an admin unlock while it is drafted again, it frees the stack for the next in line', async () => {
    const rig = conductorRig(redis);
    const ops = new PlanOperations({
      bus: rig.bus,
      plans: rig.plans,
      stacks: rig.stacks,
      lock: rig.lock,
      conductor: rig.conductor,
      access: openAccess(redis, rig.prefix),
    });
    await holderAndTwoQueued(rig);
    await holderApplies(rig);
    await waitFor(async () => (await rig.plans.get('p-bb'))?.state === 'DRAFTING');
    const unlocked = await ops.unlock(STACK, 'carol');
    expect(unlocked).toEqual({ ok: true, value: { holder: 'p-bb' } });
    expect(await rig.plans.get('p-bb')).toMatchObject({ state: 'FAILED' });
    await waitFor(async () => (await rig.plans.get('p-cc'))?.state === 'DRAFTING');
    expect(await rig.lock.holder(STACK)).toBe('p-cc');
    await rig.bus.close();
  });

  it('drafted before the holder applied and admitted just after it, is drafted again rather than built', async () => {
    const rig = conductorRig(redis);
    await rig.plans.create({ id: 'p-aa', goal: `scale ${STACK} to 1`, requestedBy: 'alice' });
    await specFor(rig, 'p-aa', 'goal:p-aa', 1);
    await waitFor(async () => (await rig.plans.get('p-aa'))?.state === 'PENDING');
    await holderApplies(rig);
    await waitFor(async () => (await rig.lock.holder(STACK)) === undefined);
    // Atlas read version 0 for p-dd while p-aa was applying; its answer arrives after p-aa ended.
    await rig.plans.create({ id: 'p-dd', goal: `scale ${STACK} to 2`, requestedBy: 'carol' });
    const stale = { ...awsSpec({ desiredCapacity: 2, maxSize: 2 }), stack: STACK, baseVersion: 0 };
    await rig.bus.publish(
      'plan.pending',
      makeArtifact('PlanSpec', 'p-dd', stale, { producer: 'atlas', cause: 'goal:p-dd' }),
    );
    await waitFor(async () => (await rig.plans.get('p-dd'))?.redraftedAt === 1);
    expect(await rig.plans.get('p-dd')).toMatchObject({ state: 'DRAFTING' });
    expect(await rig.lock.holder(STACK)).toBe('p-dd');
    expect(await goalCauses(rig, 'p-dd')).toEqual(['goal:p-dd:v1']);
    // A second answer drafted at version 0 (a copy of the first reading) is set aside.
    await rig.bus.publish(
      'plan.pending',
      makeArtifact('PlanSpec', 'p-dd', stale, { producer: 'atlas', cause: 'goal:p-dd', salt: 'copy' }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await rig.plans.get('p-dd'))?.state).toBe('DRAFTING');
    expect(await goalCauses(rig, 'p-dd')).toEqual(['goal:p-dd:v1']);
    // The answer drafted at version 1 is admitted and built.
    const fresh = { ...stale, baseVersion: 1 };
    await rig.bus.publish(
      'plan.pending',
      makeArtifact('PlanSpec', 'p-dd', fresh, { producer: 'atlas', cause: 'goal:p-dd:v1' }),
    );
    await waitFor(async () => (await rig.plans.get('p-dd'))?.state === 'PENDING');
    expect(await rig.plans.get('p-dd')).toMatchObject({ baseVersion: 1 });
    await waitFor(async () => (await rig.published('build.request')).some((a) => a.planId === 'p-dd'));
    expect((await rig.published('build.request')).filter((a) => a.planId === 'p-dd')).toHaveLength(1);
    await rig.bus.close();
  });
});
