import type { DeadLetter } from '../bus/dead-letter.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanStore } from '../store/plan-store.js';
import type { Conductor } from './conductor.js';

export interface SettleDeadLetterOptions {
  plans: Pick<PlanStore, 'get'>;
  conductor: Pick<Conductor, 'advance' | 'startRollback'>;
  logger: Logger;
}

/**
 * What a dead letter means for its plan: an artifact that could not be handled ends the plan
 * FAILED with the reason, except mid-apply, where the stack may be half changed and is rolled
 * back instead. A plan that cannot be moved is logged, for a human to look at.
 */
export async function settleDeadLetter(dl: DeadLetter, o: SettleDeadLetterOptions): Promise<void> {
  o.logger.error({ topic: dl.topic, group: dl.group, planId: dl.planId, reason: dl.reason }, 'artifact dead-lettered');
  if (!dl.planId) return;
  const reason = `dead letter on ${dl.topic}/${dl.group}: ${dl.reason}`;
  let plan: PlanRecord | undefined;
  try {
    plan = await o.plans.get(dl.planId);
    if (plan?.state === 'APPLYING') await o.conductor.startRollback(plan, 'APPLY_FAILED', 'bus', reason);
    else await o.conductor.advance(dl.planId, 'DEAD_LETTER', 'bus', reason);
  } catch (err) {
    o.logger.error(
      { err, planId: dl.planId, state: plan?.state, topic: dl.topic },
      'plan not settled after a dead letter',
    );
  }
}
