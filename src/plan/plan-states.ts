// The plan's states and the events that move it (design.md, "Plan state machine").

export const PLAN_STATES = [
  'DRAFTING',
  'PENDING',
  'IN_PROGRESS',
  'VALIDATING',
  'READY_FOR_APPLY',
  'WAIT_FOR_APPROVE',
  'APPLYING',
  'DONE',
  'ROLLBACK',
  'ROLLED_BACK',
  'BLOCKED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export const PLAN_EVENTS = [
  'PLAN_SPEC', // Atlas produced a PlanSpec
  'DESIGN_BLOCKED', // Atlas could not produce one
  'STACK_LOCKED', // another plan holds the stack
  'STACK_MOVED', // a queued plan's stack moved while it waited: Atlas reads its goal again
  'FORGE_ACK', // Forge took the build
  'PLAN_READY', // Forge saved a plan and asked Sentinel
  'BUILD_FAILED', // terraform init/plan failed
  'VALIDATION_PASS',
  'VALIDATION_FAIL',
  'REVIEW_POSTED', // review published; approval window opens
  'APPROVE',
  'REJECT',
  'EXPIRE',
  'APPLY_DONE',
  'APPLY_FAILED', // error or timeout while applying: roll back
  'APPLY_STALE', // state moved since the plan: re-plan, fresh approval needed
  'APPLY_REFUSED', // Forge applied nothing (plan file missing or not the approved one): fail, touch nothing
  'APPLY_IN_DOUBT', // an earlier apply may still be running: fail for a human, never roll back
  'ROLLBACK_REQUESTED',
  'ROLLBACK_DONE',
  'ROLLBACK_FAILED',
  'DEAD_LETTER', // an artifact of this plan could not be processed
  'CANCEL', // an admin cancelled the plan (e.g. `crew unlock`)
] as const;
export type PlanEvent = (typeof PLAN_EVENTS)[number];

/** The events that take a plan from DRAFTING to DONE, in order: the path of every applied plan. */
export const APPLY_PATH: readonly PlanEvent[] = [
  'PLAN_SPEC',
  'FORGE_ACK',
  'PLAN_READY',
  'VALIDATION_PASS',
  'REVIEW_POSTED',
  'APPROVE',
  'APPLY_DONE',
];

/** States a plan never leaves. DONE is not terminal: it can still be rolled back. */
export const TERMINAL_STATES: ReadonlySet<PlanState> = new Set([
  'ROLLED_BACK',
  'BLOCKED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
]);

/** States in which the plan holds its stack's lock. */
export const LOCKING_STATES: ReadonlySet<PlanState> = new Set([
  'PENDING',
  'IN_PROGRESS',
  'VALIDATING',
  'READY_FOR_APPLY',
  'WAIT_FOR_APPROVE',
  'APPLYING',
  'ROLLBACK',
]);

/**
 * Whether a plan in this state may hold its stack's lock. A plan takes the lock while still
 * DRAFTING (admission comes before its move to PENDING), so a DRAFTING holder has not ended:
 * taking the lock over from it would let two plans onto one stack.
 */
export function mayHoldStack(state: PlanState): boolean {
  return state === 'DRAFTING' || LOCKING_STATES.has(state);
}

/** States where the plan waits for a person rather than for the crew. */
export const RESTING_STATES: ReadonlySet<PlanState> = new Set(['WAIT_FOR_APPROVE', 'DONE', ...TERMINAL_STATES]);

export function isTerminal(state: PlanState): boolean {
  return TERMINAL_STATES.has(state);
}

/**
 * Whether the crew still has work to do with, or a person a decision to make on, a plan in this
 * state: every state but DONE and the terminal ones. A DONE plan opens again only when someone
 * rolls it back. The sweeps, the stack lock's occupant check and the `crew_plans` gauge look at
 * open plans alone, so their cost does not grow with every plan ever applied.
 */
export function isOpen(state: PlanState): boolean {
  return state !== 'DONE' && !TERMINAL_STATES.has(state);
}
