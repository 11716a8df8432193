import type { ArtifactBus } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { TriggerGuard } from './claim-once.js';
import type { ReviewThreads } from './post-review.js';

/** Where plan events go: ReviewThreads posts at once, ReplyOutbox coalesces and survives restarts. */
export type PlanReplies = Pick<ReviewThreads, 'onTransition' | 'alertApprovers'>;

export const SLACK_GROUP = 'slack';

/**
 * Follows plans on the bus and mirrors them into their review threads. Slack trouble is logged,
 * never thrown: a failing handler would be retried into the dead-letter stream, which fails the plan.
 */
export function followPlans(bus: ArtifactBus, threads: PlanReplies, guard: TriggerGuard, logger: Logger): void {
  const handle = async (a: ArtifactOn<'notify' | 'ops.event'>) => {
    const e = a.payload;
    try {
      if (e.kind === 'transition') {
        await threads.onTransition(a.planId, {
          detail: e.detail,
          ...(e.from ? { from: e.from } : {}),
          ...(e.to ? { to: e.to } : {}),
          ...(e.by ? { by: e.by } : {}),
        });
      } else if (e.kind === 'rollout') {
        // The instance refresh an apply started ended well: said in the plan's thread (one that
        // did not is an escalation, below).
        await threads.onTransition(a.planId, { detail: e.detail });
      } else if (
        ['escalation', 'sla_breach', 'stuck', 'heartbeat'].includes(e.kind) &&
        (await guard.claim(`alert:${a.id}`))
      ) {
        await threads.alertApprovers(a.planId, e.kind, e.detail);
      }
    } catch (err) {
      logger.warn(
        { planId: a.planId, kind: e.kind, err: errorMessage(err) },
        'could not update the Slack review thread',
      );
    }
  };
  bus.consume('notify', SLACK_GROUP, handle);
  bus.consume('ops.event', SLACK_GROUP, handle);
}
