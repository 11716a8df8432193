import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisBus } from '../../../src/bus/redis-bus.js';
import { streamKey } from '../../../src/redis/keys.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { createConductor } from '../../../src/conductor/create-conductor.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { APPLY_PATH } from '../../../src/plan/plan-states.js';
import { StackLock } from '../../../src/store/stack-lock.js';
import { StackQueue } from '../../../src/store/stack-queue.js';
import { StackStore } from '../../../src/store/stack-store.js';
import { useTestRedis } from '../../support/redis-server.js';
import { openAccess } from '../../support/open-access.js';
import { waitFor } from '../../support/wait-for.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

/** A Conductor on a real bus whose clock the test sets. */
function rig(clock: { now: Date }) {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = createLogger({ level: 'silent' });
  const now = () => clock.now;
  const plans = new PlanStore({ redis, prefix, now });
  const stacks = new StackStore({ redis, prefix });
  const lock = new StackLock({ redis, prefix });
  const bus = new RedisBus({ redis, logger, prefix, blockMs: 100 });
  const { conductor } = createConductor({
    bus,
    plans,
    stacks,
    lock,
    queue: new StackQueue({ redis, prefix }),
    logger,
    access: openAccess(redis, prefix),
    now,
  });
  conductor.register();
  return { prefix, plans, bus, conductor };
}

/** Walks a plan to DONE through the store, as the pipeline would. */
async function appliedPlan(plans: PlanStore, id: string): Promise<void> {
  await plans.create({ id, goal: 'g', requestedBy: 'alice', stack: 'sla' });
  for (const e of APPLY_PATH) await plans.advance(id, e, 'test', e);
  await plans.patch(id, { baseVersion: 0 });
}

describe('rollback SLA', () => {
  for (const [name, beginMin, finishMin, breached] of [
    ['within SLA', 1, 4, false],
    ['begins late (> 5 min)', 6, 8, true],
    ['finishes late (> 15 min)', 1, 16, true],
  ] as const) {
    it(`records the timers and ${breached ? 'emits sla_breach' : 'emits nothing'} when the rollback ${name}`, async () => {
      const t0 = new Date('2026-11-21T10:00:00.000Z');
      const clock = { now: t0 };
      const { prefix, plans, bus, conductor } = rig(clock);
      const id = `p-sla${beginMin}${finishMin}`;
      await appliedPlan(plans, id);
      const plan = (await plans.get(id))!;
      await conductor.startRollback(plan, 'ROLLBACK_REQUESTED', 'alice', 'undo');
      const at = (m: number) => new Date(t0.getTime() + m * 60_000).toISOString();
      await bus.publish(
        'rollback.result',
        makeArtifact(
          'RollbackResult',
          id,
          { result: 'ROLLED_BACK', startedAt: at(beginMin), finishedAt: at(finishMin) },
          { producer: 'forge', cause: 'x' },
        ),
      );
      await waitFor(async () => (await plans.get(id))?.state === 'ROLLED_BACK');
      const done = (await plans.get(id))!;
      expect(done.rollback).toMatchObject({
        by: 'alice',
        toVersion: 0,
        requestedAt: t0.toISOString(),
        startedAt: at(beginMin),
        finishedAt: at(finishMin),
        slaBreached: breached,
      });
      const events = (await redis.xrange(streamKey(prefix, 'ops.event'), '-', '+')).map(([, f]) => JSON.parse(f[1]!));
      const breaches = events.filter((e) => e.payload.kind === 'sla_breach');
      expect(breaches).toHaveLength(breached ? 1 : 0);
      if (breached) expect(breaches[0].payload.detail).toContain('SLA: begin < 5 min, finish < 15 min');
      await bus.close();
    });
  }
});
