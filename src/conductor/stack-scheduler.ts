import type { PlanSpec } from '../../contracts/index.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { OpenPlan } from '../store/open-plans.js';
import type { PlanStore } from '../store/plan-store.js';
import type { StackLock } from '../store/stack-lock.js';
import type { StackQueue } from '../store/stack-queue.js';
import type { StackStore } from '../store/stack-store.js';
import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import { LOCKING_STATES, mayHoldStack } from '../plan/plan-states.js';

export interface StackSchedulerOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  queue: StackQueue;
  logger: Logger;
  /** A queued plan whose stack moved to `version` while it waited: drafted again (Conductor.redraft). */
  onStale: (planId: string, reason: string, version: number) => Promise<void>;
}

/** Admitted, or queued behind `holder`; `baseVersion` is the stack's version either way (the one the plan was drafted against). */
export type Admission =
  { admitted: true; baseVersion: number } | { admitted: false; holder: string; position: number; baseVersion: number };

/**
 * One active plan per stack; later plans queue FIFO and start when the lock frees. The
 * queue is what the lock protects, so promotion takes the lock before Forge is asked.
 */
export class StackScheduler {
  constructor(private readonly o: StackSchedulerOptions) {}

  private async isGone(holder: string): Promise<boolean> {
    const p = await this.o.plans.get(holder);
    return !p || !mayHoldStack(p.state) || p.queuedBehind !== undefined;
  }

  /** Takes the stack for a plan, or queues it behind the holder (and anyone queued before). */
  async admit(planId: string, stack: string): Promise<Admission> {
    const queued = await this.o.queue.list(stack);
    const ahead = queued.filter((id) => id !== planId);
    if (ahead.length === 0) {
      const lock = await this.o.lock.acquire(stack, planId, (h) => this.isGone(h));
      if (lock.ok) {
        await this.o.queue.remove(stack, planId);
        return { admitted: true, baseVersion: await this.o.stacks.currentVersion(stack) };
      }
      const position = await this.o.queue.enqueue(stack, planId);
      return { admitted: false, holder: lock.holder, position, baseVersion: await this.o.stacks.currentVersion(stack) };
    }
    const holder = (await this.o.lock.holder(stack)) ?? ahead[0]!;
    // Its turn came and it was drafted again (its stack had moved): it holds the stack, before everyone queued.
    if (holder === planId) {
      await this.o.queue.remove(stack, planId);
      return { admitted: true, baseVersion: await this.o.stacks.currentVersion(stack) };
    }
    const position = await this.o.queue.enqueue(stack, planId);
    return { admitted: false, holder, position, baseVersion: await this.o.stacks.currentVersion(stack) };
  }

  /** Starts the next queued plan of a stack whose lock may have freed. Safe to call any time. */
  async promoteNext(stack: string): Promise<PlanRecord | undefined> {
    for (;;) {
      const next = await this.o.queue.head(stack);
      if (!next) return undefined;
      const plan = await this.o.plans.get(next);
      if (!plan || plan.state !== 'PENDING' || !plan.spec || plan.queuedBehind === undefined) {
        await this.o.queue.remove(stack, next);
        continue;
      }
      const lock = await this.o.lock.acquire(stack, next, (h) => this.isGone(h));
      if (!lock.ok) return undefined;
      const baseVersion = await this.o.stacks.currentVersion(stack);
      // The plan ahead applied (or rolled back) meanwhile: this one's spec was drafted against
      // the stack as it stood when it queued, and building it would undo what changed since.
      if (plan.baseVersion !== undefined && plan.baseVersion !== baseVersion) {
        await this.o.queue.remove(stack, next);
        await this.o.plans.clearField(next, 'queuedBehind');
        // Drafted again against the stack as it stands; it keeps the lock it just took meanwhile.
        await this.o.onStale(
          next,
          `stack ${stack} moved from version ${plan.baseVersion} to ${baseVersion} while this plan waited in its queue; its goal is read again against version ${baseVersion} (the spec drafted against version ${plan.baseVersion} would undo what changed since)`,
          baseVersion,
        );
        return undefined;
      }
      await this.o.plans.patch(next, { baseVersion });
      await this.o.plans.clearField(next, 'queuedBehind');
      await this.publishBuild(next, plan.spec);
      await this.o.queue.remove(stack, next);
      this.o.logger.info({ planId: next, stack }, 'queued plan promoted');
      return plan;
    }
  }

  /**
   * Extends the lease of every stack an active plan holds (the Conductor's sweep calls this), so
   * a plan keeps its stack for as long as it waits for approval, however long that is.
   */
  async renewLocks(active?: readonly OpenPlan[]): Promise<void> {
    for (const p of active ?? (await this.o.plans.openPlans())) {
      if (!p.stack || !LOCKING_STATES.has(p.state) || p.queuedBehind !== undefined) continue;
      const extended = await this.o.lock.extend(p.stack, p.id);
      if (extended === 'extended') continue;
      // It may have ended since it was read (and released the stack, or the next plan taken it).
      const now = await this.o.plans.get(p.id);
      const holds = now !== undefined && LOCKING_STATES.has(now.state) && now.queuedBehind === undefined;
      // A lease that lapsed while its plan still holds the stack (no process ran for longer than
      // the TTL) is taken back; an ended plan's released lock is never made again.
      if (extended === 'lapsed') {
        if (holds && !(await this.o.lock.renew(p.stack, p.id))) await this.warnHeldByOther(p);
        continue;
      }
      if (holds) await this.warnHeldByOther(p);
    }
  }

  private async warnHeldByOther(p: OpenPlan): Promise<void> {
    if (!p.stack) return;
    this.o.logger.warn(
      { planId: p.id, stack: p.stack, holder: await this.o.lock.holder(p.stack) },
      'an active plan found its stack locked by another plan',
    );
  }

  /** Asks Forge to build; the id derives from the plan, so a repeat is the same artifact. */
  async publishBuild(planId: string, spec: PlanSpec): Promise<void> {
    await this.o.bus.publish(
      'build.request',
      makeArtifact('PlanSpec', planId, spec, { producer: 'conductor', cause: `build:${planId}` }),
    );
  }
}
