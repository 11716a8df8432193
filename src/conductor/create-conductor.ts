import type { StackQueue } from '../store/stack-queue.js';
import { Conductor, type ConductorOptions } from './conductor.js';
import { StackScheduler } from './stack-scheduler.js';

/**
 * The Conductor and the stack scheduler it admits plans with, wired to each other: a queued plan
 * the scheduler finds stale at its turn is drafted again by the Conductor (Conductor.redraft).
 * Every crew process and test rig builds the pair here, so none wires it differently.
 */
export function createConductor(o: Omit<ConductorOptions, 'scheduler'> & { queue: StackQueue }): {
  conductor: Conductor;
  scheduler: StackScheduler;
} {
  const { queue, ...options } = o;
  const scheduler: StackScheduler = new StackScheduler({
    bus: o.bus,
    plans: o.plans,
    stacks: o.stacks,
    lock: o.lock,
    queue,
    logger: o.logger,
    onStale: (planId, reason, version): Promise<void> => conductor.redraft(planId, reason, version),
  });
  const conductor: Conductor = new Conductor({ ...options, scheduler });
  return { conductor, scheduler };
}
