import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisBus } from '../../../src/bus/redis-bus.js';
import { streamKey } from '../../../src/redis/keys.js';
import { findStackOccupant } from '../../../src/conductor/find-stack-occupant.js';
import type { PlanEvent } from '../../../src/plan/plan-states.js';
import { createConductor } from '../../../src/conductor/create-conductor.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { StackLock } from '../../../src/store/stack-lock.js';
import { StackQueue } from '../../../src/store/stack-queue.js';
import { StackStore } from '../../../src/store/stack-store.js';
import type { Topic } from '../../../src/bus/topics.js';
import { openAccess } from '../../support/open-access.js';

/** A Conductor on a real bus (fresh key prefix) with no agents: the test plays Atlas and Forge. */
export function conductorRig(redis: Redis, options: { lockTtlMs?: number } = {}) {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = createLogger({ level: 'silent' });
  const plans = new PlanStore({ redis, prefix });
  const stacks = new StackStore({ redis, prefix });
  // Wired as startCrew wires it.
  const lock = new StackLock({
    redis,
    prefix,
    findOccupant: findStackOccupant(plans),
    ...(options.lockTtlMs ? { ttlMs: options.lockTtlMs } : {}),
  });
  const bus = new RedisBus({ redis, logger, prefix, blockMs: 100 });
  const queue = new StackQueue({ redis, prefix });
  const { conductor, scheduler } = createConductor({
    bus,
    plans,
    stacks,
    lock,
    queue,
    logger,
    access: openAccess(redis, prefix),
  });
  conductor.register();
  /** Payloads published on a topic so far. */
  const published = async (
    topic: Topic,
  ): Promise<Array<{ type: string; planId: string; payload: Record<string, unknown> }>> =>
    (await redis.xrange(streamKey(prefix, topic), '-', '+')).map(([, f]) => JSON.parse(f[1]!));
  /** Walks a plan through the store by events, as the pipeline would. */
  const walk = async (id: string, events: readonly PlanEvent[]) => {
    for (const e of events) {
      const r = await plans.advance(id, e, 'test', e);
      if (r.status !== 'moved') throw new Error(`${id}: ${e} did not move the plan (${r.status})`);
    }
  };
  return { prefix, plans, stacks, lock, bus, queue, scheduler, conductor, published, walk };
}
