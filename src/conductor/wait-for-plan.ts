import type { PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { DecisionOutcome, PlanStore } from '../store/plan-store.js';
import { CrewError } from '../errors.js';

/** Polls a plan until it reaches one of `states` (or `stop` says so), or the timeout passes. */
export async function waitForPlan(
  plans: Pick<PlanStore, 'get'>,
  planId: string,
  states: readonly PlanState[],
  options: { timeoutMs: number; intervalMs?: number; stop?: (p: PlanRecord) => Promise<boolean> },
): Promise<PlanRecord> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const plan = await plans.get(planId);
    if (!plan) throw new CrewError('CREW_ERR_NOT_FOUND', `no plan with id ${planId}`);
    if (states.includes(plan.state)) return plan;
    if (options.stop && (await options.stop(plan))) return plan;
    if (Date.now() > deadline) {
      throw new CrewError(
        'CREW_ERR_TIMEOUT',
        `plan ${planId} is still ${plan.state} after ${Math.round(options.timeoutMs / 1000)} s; \`crew wait ${planId}\` picks it up again`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/** Polls until the Conductor has recorded what became of one decision, or the timeout passes. */
export async function waitForDecision(
  plans: PlanStore,
  planId: string,
  decisionId: string,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<DecisionOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const outcome = await plans.decisionOutcome(planId, decisionId);
    if (outcome) return outcome;
    if (Date.now() > deadline) {
      throw new CrewError(
        'CREW_ERR_TIMEOUT',
        `the crew has not judged the decision on plan ${planId} after ${Math.round(options.timeoutMs / 1000)} s; \`crew status ${planId}\` shows where it is`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
