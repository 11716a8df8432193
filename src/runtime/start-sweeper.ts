import { withSurface } from '../store/audit-surface.js';
import type { Redis } from 'ioredis';
import type { ArtifactBus } from '../bus/artifact-bus.js';
import type { Conductor } from '../conductor/conductor.js';
import type { PlanOperations } from '../conductor/plan-operations.js';
import type { StackScheduler } from '../conductor/stack-scheduler.js';
import { watchCrew } from '../conductor/watch-crew.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanStore } from '../store/plan-store.js';

export interface SweeperOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  redis: Redis;
  prefix: string;
  ops: PlanOperations;
  conductor: Conductor;
  scheduler: StackScheduler;
  logger: Logger;
  now?: () => Date;
  intervalMs: number;
  stuckAfterMs: number;
  staleAfterMs: number;
}

export interface Sweeper {
  /** Stops the timer and waits for a sweep under way. */
  stop(): Promise<void>;
}

/** The Conductor's periodic work: expired approvals, lost steps, lock leases, stuck plans and silent agents. */
export function startSweeper(o: SweeperOptions): Sweeper {
  let sweeping: Promise<void> | undefined;
  const now = o.now ?? (() => new Date());
  // What the sweep moves (an expired approval, a lost step) is the scheduler's doing in the audit.
  const sweep = () => {
    // The open plans are read once (a few fields each) and judged by every check.
    sweeping ??= withSurface('scheduler', async () => {
      const active = await o.plans.openPlans();
      await Promise.all([
        o.ops.sweepExpired(active),
        o.conductor.reconcile(active),
        o.scheduler.renewLocks(active),
        watchCrew({
          bus: o.bus,
          plans: o.plans,
          redis: o.redis,
          prefix: o.prefix,
          now,
          stuckAfterMs: o.stuckAfterMs,
          staleAfterMs: o.staleAfterMs,
          active,
        }),
      ]);
    })
      .then(
        () => undefined,
        (err: unknown) => o.logger.warn({ err }, 'sweep failed'),
      )
      .finally(() => (sweeping = undefined));
  };
  sweep();
  const timer = setInterval(sweep, o.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await sweeping;
    },
  };
}
