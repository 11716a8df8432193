import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanStore } from '../store/plan-store.js';
import { ok, refuse, type Result } from '../errors.js';

/** A plan by id, or a refusal for the person: the id is malformed, or no plan has it. */
export async function findPlan(
  plans: Pick<PlanStore, 'get'>,
  planId: string,
): Promise<Result<PlanRecord, 'bad-input' | 'not-found'>> {
  if (!/^[a-z0-9-]{4,64}$/.test(planId))
    return refuse('bad-input', `"${planId.slice(0, 80)}" is not a plan id (they look like p-7fk2q9xa)`);
  const plan = await plans.get(planId);
  return plan ? ok(plan) : refuse('not-found', `no plan with id ${planId}`);
}
