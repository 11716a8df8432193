import { PLAN_EVENTS, PLAN_STATES, type PlanEvent, type PlanState } from './plan-states.js';
import type { Denied } from '../errors.js';

export type TransitionResult = { ok: true; to: PlanState } | Denied;

// The whole state machine as data: state → event → next state. Anything absent is refused.
const TABLE: Readonly<Record<PlanState, Partial<Record<PlanEvent, PlanState>>>> = {
  DRAFTING: {
    PLAN_SPEC: 'PENDING',
    DESIGN_BLOCKED: 'BLOCKED',
    STACK_LOCKED: 'BLOCKED',
    DEAD_LETTER: 'FAILED',
    CANCEL: 'FAILED',
  },
  // STACK_MOVED: queued while the holder changed the stack; the plan keeps its turn and is drafted again.
  PENDING: {
    FORGE_ACK: 'IN_PROGRESS',
    BUILD_FAILED: 'FAILED',
    STACK_MOVED: 'DRAFTING',
    DEAD_LETTER: 'FAILED',
    CANCEL: 'FAILED',
  },
  IN_PROGRESS: { PLAN_READY: 'VALIDATING', BUILD_FAILED: 'FAILED', DEAD_LETTER: 'FAILED', CANCEL: 'FAILED' },
  VALIDATING: {
    VALIDATION_PASS: 'READY_FOR_APPLY',
    VALIDATION_FAIL: 'BLOCKED',
    DEAD_LETTER: 'FAILED',
    CANCEL: 'FAILED',
  },
  READY_FOR_APPLY: { REVIEW_POSTED: 'WAIT_FOR_APPROVE', DEAD_LETTER: 'FAILED', CANCEL: 'FAILED' },
  WAIT_FOR_APPROVE: {
    APPROVE: 'APPLYING',
    REJECT: 'REJECTED',
    EXPIRE: 'EXPIRED',
    DEAD_LETTER: 'FAILED',
    CANCEL: 'FAILED',
  },
  // Once applying, only the outcome of the apply may move the plan: no cancel mid-apply. A
  // rollback only follows an apply that ran and ended: one that applied nothing, or one that
  // may still be running, ends FAILED with the stack untouched.
  APPLYING: {
    APPLY_DONE: 'DONE',
    APPLY_FAILED: 'ROLLBACK',
    APPLY_STALE: 'IN_PROGRESS',
    APPLY_REFUSED: 'FAILED',
    APPLY_IN_DOUBT: 'FAILED',
    DEAD_LETTER: 'ROLLBACK',
  },
  DONE: { ROLLBACK_REQUESTED: 'ROLLBACK' },
  ROLLBACK: { ROLLBACK_DONE: 'ROLLED_BACK', ROLLBACK_FAILED: 'FAILED', DEAD_LETTER: 'FAILED' },
  ROLLED_BACK: {},
  BLOCKED: {},
  REJECTED: {},
  EXPIRED: {},
  FAILED: {},
};

const WHY: Partial<Record<PlanEvent, string>> = {
  APPROVE: 'only a plan waiting for approval can be approved',
  REJECT: 'only a plan waiting for approval can be rejected',
  ROLLBACK_REQUESTED: 'only an applied plan (DONE) can be rolled back',
  CANCEL: 'a plan can be cancelled only before it is applied',
};

/** Pure: the state a plan moves to on an event, or a refusal that says why not. */
export function transition(state: PlanState, event: PlanEvent): TransitionResult {
  const to = TABLE[state][event];
  if (to) return { ok: true, to };
  const why = WHY[event] ?? `${event} is not expected in state ${state}`;
  return { ok: false, refusal: `plan is ${state}: ${why}` };
}

/** Every (state, event) pair that the table accepts, for tests and docs. */
export function allowedTransitions(): Array<{ from: PlanState; event: PlanEvent; to: PlanState }> {
  const out: Array<{ from: PlanState; event: PlanEvent; to: PlanState }> = [];
  for (const from of PLAN_STATES)
    for (const event of PLAN_EVENTS) {
      const to = TABLE[from][event];
      if (to) out.push({ from, event, to });
    }
  return out;
}
