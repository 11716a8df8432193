import type { PlanStore } from '../store/plan-store.js';
import type { FindOccupant } from '../store/stack-lock.js';
import { LOCKING_STATES } from '../plan/plan-states.js';

/**
 * The stack lock's ground truth when its key has lapsed: a plan that was admitted to the stack
 * (not one waiting in its queue) and has not ended yet still holds it.
 */
export function findStackOccupant(plans: PlanStore): FindOccupant {
  return async (stack, exceptPlanId) => {
    for (const p of await plans.activeOnStack(stack)) {
      if (p.id !== exceptPlanId && LOCKING_STATES.has(p.state) && p.queuedBehind === undefined) return p.id;
    }
    return undefined;
  };
}
