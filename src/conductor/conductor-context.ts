import type { Artifact } from '../../contracts/envelope.js';
import type { AccessPolicySource } from '../access/access-policy.js';
import type { ArtifactBus } from '../bus/artifact-bus.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanEvent, PlanState } from '../plan/plan-states.js';
import type { AdvanceResult, PlanStore } from '../store/plan-store.js';
import type { StackLock } from '../store/stack-lock.js';
import type { StackStore } from '../store/stack-store.js';
import type { StackScheduler } from './stack-scheduler.js';

/** The Conductor's producer name on the bus. */
export const CONDUCTOR = 'conductor';

export interface ConductorOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  scheduler: StackScheduler;
  logger: Logger;
  /** The crew's access policy (approvers, four-eyes, approval window), read for every decision. */
  access: AccessPolicySource;
  now?: () => Date;
  /** Called after every committed transition (metrics, Slack threads, fault injection). */
  onTransition?: (plan: PlanRecord, from: PlanState, to: PlanState) => void | Promise<void>;
}

/** What the Conductor's handlers (one file per kind of artifact) work with. */
export interface ConductorContext {
  readonly options: ConductorOptions;
  now(): Date;
  /** The plan an artifact belongs to; logs and returns undefined for an unknown one. */
  planOf(a: Artifact): Promise<PlanRecord | undefined>;
  /**
   * Moves a plan and runs the transition hooks; an early event throws so the bus retries it.
   * `seen`: the record as the handler has just read it (see PlanStore.advance).
   */
  advance(
    planId: string,
    event: PlanEvent,
    by: string,
    reason: string,
    patch?: Partial<PlanRecord>,
    seen?: PlanRecord,
  ): Promise<AdvanceResult>;
  expire(planId: string): Promise<void>;
  /** A plan still DRAFTING whose spec predates the stack's `version`: its goal is read again (Conductor.readAgain). */
  readAgain(plan: PlanRecord, version: number, reason: string): Promise<void>;
  startRollback(
    plan: PlanRecord,
    event: 'APPLY_FAILED' | 'ROLLBACK_REQUESTED',
    by: string,
    reason: string,
  ): Promise<AdvanceResult>;
}
