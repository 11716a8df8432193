import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanState } from '../plan/plan-states.js';
import type { OpenPlan } from '../store/open-plans.js';
import { makeArtifact } from '../bus/artifact-bus.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';
import { goalCause, goalOf } from './goal-of-plan.js';
import { dispatchRollback } from './rollback-steps.js';

// A goal still in DRAFTING this long after submission was never published (or was lost).
const DRAFTING_GRACE_MS = 120_000;
// Forge acknowledges a build within moments; a plan PENDING this long lost its build request.
const PENDING_GRACE_MS = 60_000;
// A request re-sent by a sweep is sent again only after this long: under a backlog a plan waits
// PENDING for minutes with its request still queued, and every worker's sweep (every 5 s) would
// otherwise add another copy to the stream each time.
const RESEND_EVERY_MS = 5 * 60_000;

/**
 * Repairs what a crash between a committed transition and its publish can leave behind when
 * no bus entry will be redelivered: a rollback never dispatched, a goal never submitted, a build
 * never requested. A goal or build is re-sent at most once per RESEND_EVERY_MS for all processes.
 * The plans are judged by state, stack and times; the whole record is read only of one acted on.
 */
export async function reconcilePlans(c: ConductorContext, active?: readonly OpenPlan[]): Promise<void> {
  const now = c.now().getTime();
  /** The whole record, if the plan is still in `state` (it may have moved since the sweep read it). */
  const whole = async (id: string, state: PlanState): Promise<PlanRecord | undefined> => {
    const plan = await c.options.plans.get(id);
    return plan?.state === state ? plan : undefined;
  };
  for (const open of active ?? (await c.options.plans.openPlans())) {
    if (open.state === 'ROLLBACK') {
      const plan = await whole(open.id, 'ROLLBACK');
      if (plan) await dispatchRollback(c, plan);
    }
    if (open.state === 'PENDING' && open.stack) {
      if (open.queuedBehind !== undefined) await c.options.scheduler.promoteNext(open.stack);
      else if (
        now - Date.parse(open.updatedAt) > PENDING_GRACE_MS &&
        (await c.options.plans.claimResend(open.id, 'build', RESEND_EVERY_MS))
      ) {
        const plan = await whole(open.id, 'PENDING');
        if (plan?.spec) await c.options.scheduler.publishBuild(plan.id, plan.spec);
      }
    }
    // Since it entered DRAFTING: a queued plan drafted again entered it long after it was created.
    if (
      open.state === 'DRAFTING' &&
      now - Date.parse(open.updatedAt) > DRAFTING_GRACE_MS &&
      (await c.options.plans.claimResend(open.id, 'goal', RESEND_EVERY_MS))
    ) {
      const plan = await whole(open.id, 'DRAFTING');
      if (!plan) continue;
      await c.options.bus.publish(
        'goal.submitted',
        makeArtifact('GoalStatement', plan.id, goalOf(plan), { producer: CONDUCTOR, cause: goalCause(plan) }),
      );
    }
  }
}
