import type { ApprovalQuorum } from '../access/approval-rules.js';
import { destroyedCount, isDestructive } from '../plan/is-destructive.js';
import type { PlanRecord } from '../plan/plan-record.js';

type StepUpPlan = Pick<PlanRecord, 'id' | 'stack' | 'spec' | 'summary' | 'validation'>;

/** Why approving this plan needs the approver to name its stack; none: an ordinary approval. */
export function stepUpReason(plan: StepUpPlan, quorum: ApprovalQuorum | undefined): string | undefined {
  const n = destroyedCount(plan);
  if (n > 0) return `plan ${plan.id} deletes/replaces ${n} resource${n === 1 ? '' : 's'}`;
  if (isDestructive(plan))
    return `plan ${plan.id} is destructive (${plan.spec?.risk.level ?? 'high'} risk, as Atlas judged it)`;
  const monthly = plan.validation?.cost.monthlyUsd;
  const over = quorum?.overMonthlyUsd;
  if (over && typeof monthly === 'number' && monthly > over.amount)
    return `plan ${plan.id} costs $${monthly.toFixed(2)}/month, over the $${over.amount}/month threshold`;
  return undefined;
}

/** The stack an approver confirms: the plan's, else its spec's. */
export function stackOf(plan: Pick<PlanRecord, 'stack' | 'spec'>): string {
  return plan.stack ?? plan.spec?.stack ?? '';
}

/** A step-up refusal: the reason in words and the stack the approver must name. */
export interface StepUpRefusal {
  refusal: string;
  stack: string;
  /** Why the plan is risky, without the how-to-confirm. */
  why: string;
}

/**
 * Pure: a risky plan (destructive, or over the org policy's monthly threshold) is approved only
 * with an explicit confirmation naming its stack. Returns the refusal, or undefined when the
 * approval may go on.
 */
export function checkStepUp(
  plan: StepUpPlan,
  quorum: ApprovalQuorum | undefined,
  confirm: string | undefined,
): StepUpRefusal | undefined {
  const why = stepUpReason(plan, quorum);
  if (!why) return undefined;
  const stack = stackOf(plan);
  const named = confirm?.trim();
  if (named === undefined || named === '')
    return {
      stack,
      why,
      refusal: `${why}: confirm with --confirm ${stack} (the API's "confirm" field; Slack asks for the stack name)`,
    };
  if (named !== stack)
    return {
      stack,
      why,
      refusal: `${why}: you confirmed stack "${named.slice(0, 80)}", but it changes stack ${stack}; confirm with --confirm ${stack}`,
    };
  return undefined;
}
