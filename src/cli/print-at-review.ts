import { waitForPlan } from '../conductor/wait-for-plan.js';
import type { PlanState } from '../plan/plan-states.js';
import { planJson, planText } from '../plan/render-plan.js';
import type { PlanStore } from '../store/plan-store.js';
import { EXIT, type CliIo } from './cli-io.js';

/** Where a submitted plan rests for a person: at its review, or ended before it. */
const AT_REVIEW_OR_ENDED: readonly PlanState[] = ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED', 'REJECTED', 'EXPIRED'];

/**
 * Waits for a plan a command just submitted to reach its review (or end before it), prints it
 * (`extra` joins the JSON form) and returns the exit code: OK at the review, BLOCKED, else ERROR.
 */
export async function printAtReview(
  plans: Pick<PlanStore, 'get' | 'state' | 'watch'>,
  planId: string,
  io: CliIo,
  o: { json?: boolean; timeoutMs: number; extra?: Record<string, unknown> },
): Promise<number> {
  const plan = await waitForPlan(plans, planId, AT_REVIEW_OR_ENDED, { timeoutMs: o.timeoutMs });
  io.out(o.json ? JSON.stringify({ ...planJson(plan), ...o.extra }) : planText(plan));
  if (plan.state === 'WAIT_FOR_APPROVE') return EXIT.OK;
  return plan.state === 'BLOCKED' ? EXIT.BLOCKED : EXIT.ERROR;
}
