import type { PlanEvent, PlanState } from './plan-states.js';

// Artifacts for one plan travel on different streams, so they can arrive out of order.
// An event that belongs to a later step than the plan has reached is "not yet" (retry it);
// one for a step the plan has passed is "late" (a duplicate or superseded: drop it).
const RANK: Record<PlanState, number> = {
  DRAFTING: 0,
  PENDING: 1,
  IN_PROGRESS: 2,
  VALIDATING: 3,
  READY_FOR_APPLY: 4,
  WAIT_FOR_APPROVE: 5,
  APPLYING: 6,
  DONE: 7,
  ROLLBACK: 8,
  ROLLED_BACK: 9,
  BLOCKED: 100,
  REJECTED: 100,
  EXPIRED: 100,
  FAILED: 100,
};

const SOURCE: Partial<Record<PlanEvent, PlanState>> = {
  PLAN_SPEC: 'DRAFTING',
  DESIGN_BLOCKED: 'DRAFTING',
  FORGE_ACK: 'PENDING',
  PLAN_READY: 'IN_PROGRESS',
  VALIDATION_PASS: 'VALIDATING',
  VALIDATION_FAIL: 'VALIDATING',
  REVIEW_POSTED: 'READY_FOR_APPLY',
  APPLY_DONE: 'APPLYING',
  APPLY_FAILED: 'APPLYING',
  APPLY_STALE: 'APPLYING',
  APPLY_REFUSED: 'APPLYING',
  APPLY_IN_DOUBT: 'APPLYING',
  ROLLBACK_DONE: 'ROLLBACK',
  ROLLBACK_FAILED: 'ROLLBACK',
};

export function eventTiming(state: PlanState, event: PlanEvent): 'not-yet' | 'late' {
  const source = SOURCE[event];
  if (source === undefined) return 'late';
  return RANK[state] < RANK[source] ? 'not-yet' : 'late';
}

/** Thrown by a handler whose artifact arrived before the plan reached its step: the bus retries. */
export class NotYetError extends Error {
  /** Tells the bus to retry without counting a failure, for a while. */
  readonly notYet = true;
  constructor(planId: string, state: PlanState, event: PlanEvent) {
    super(`plan ${planId} is ${state}; ${event} arrived early and will be retried`);
    this.name = 'NotYetError';
  }
}
