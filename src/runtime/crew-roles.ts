import type { Topic } from '../bus/topics.js';
import { PLAN_EVENTS, RESTING_STATES, type PlanState } from '../plan/plan-states.js';
import { transition } from '../plan/transition.js';

/** The agents a crew process may run (`crew worker --roles`); apart so the CLI can name them without loading them. */
export type Role = 'conductor' | 'atlas' | 'forge' | 'sentinel';
export const ALL_ROLES: readonly Role[] = ['conductor', 'atlas', 'forge', 'sentinel'];

/**
 * The streams each role reads, one consumer group per role (named after it). A process reads
 * only its roles' groups: work for a role it does not run stays in that role's group for a
 * process that does.
 */
export const ROLE_TOPICS: Readonly<Record<Role, readonly Topic[]>> = {
  conductor: [
    'plan.pending',
    'build.status',
    'validate.pending',
    'validate.result',
    'approval.decision',
    'apply.result',
    'rollback.result',
  ],
  atlas: ['goal.submitted'],
  forge: ['build.request', 'apply.request', 'rollback.request'],
  sentinel: ['validate.pending'],
};

/** Who does the work that moves a plan on from each state it does not rest in. */
const WORKS_ON: Partial<Record<PlanState, readonly Role[]>> = {
  DRAFTING: ['atlas', 'conductor'], // Atlas's PlanSpec; the Conductor admits it to its stack
  PENDING: ['conductor', 'forge'], // the build request; Forge takes it
  IN_PROGRESS: ['forge', 'conductor'], // terraform plan; the Conductor records the plan file
  VALIDATING: ['sentinel', 'conductor'], // Sentinel's verdict; the Conductor opens the review
  READY_FOR_APPLY: ['conductor'],
  APPLYING: ['forge', 'conductor'], // the apply (a stale one re-plans: IN_PROGRESS again)
  ROLLBACK: ['forge', 'conductor'],
};

/**
 * The roles a process needs to take a plan from `state` until it rests (waits for a person, is
 * applied, or has ended), following every way the state machine may go from there: an apply
 * may fail into a rollback, or find the stack moved and re-plan. `also`: roles added for the
 * step that leads into `state` (the Conductor judging a decision). In ALL_ROLES order.
 */
export function rolesToRest(state: PlanState, also: readonly Role[] = []): Role[] {
  const needed = new Set<Role>(also);
  const seen = new Set<PlanState>();
  const next: PlanState[] = [state];
  for (let s = next.pop(); s !== undefined; s = next.pop()) {
    if (seen.has(s) || RESTING_STATES.has(s)) continue;
    seen.add(s);
    for (const role of WORKS_ON[s] ?? []) needed.add(role);
    for (const event of PLAN_EVENTS) {
      const t = transition(s, event);
      if (t.ok) next.push(t.to);
    }
  }
  return ALL_ROLES.filter((r) => needed.has(r));
}
