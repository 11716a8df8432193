import type { Redis } from 'ioredis';
import type { PlanRecord } from '../../plan/plan-record.js';
import type { PlanState } from '../../plan/plan-states.js';
import type { StackStore } from '../../store/stack-store.js';
import { SuggestionStore } from '../../store/suggestion-store.js';
import { recordSpend } from './spend-ledger.js';

export interface TransitionSpendOptions {
  redis: Redis;
  stacks: Pick<StackStore, 'version'>;
  prefix?: string;
  now?: () => Date;
}

/**
 * FinPilot's spend ledger, kept from plan transitions: what each stack costs from when. An apply
 * records the validated monthly cost (and realises the savings suggestion the plan came from); a
 * rollback records the cost of the version restored.
 * Called after every committed transition; a failure propagates so the step is retried.
 */
export function recordTransitionSpend(o: TransitionSpendOptions): (plan: PlanRecord, to: PlanState) => Promise<void> {
  return async (plan, to) => {
    if (!plan.stack || (to !== 'DONE' && to !== 'ROLLED_BACK')) return;
    const monthlyUsd =
      to === 'DONE'
        ? (plan.validation?.cost.monthlyUsd ?? 0)
        : ((await o.stacks.version(plan.stack, plan.rollback?.toVersion ?? 0))?.monthlyUsd ?? 0);
    const at = (o.now?.() ?? new Date()).toISOString();
    // A plan made from a savings suggestion that reaches DONE realises that saving.
    if (to === 'DONE')
      await new SuggestionStore({ redis: o.redis, prefix: o.prefix ?? 'crew' }).markRealised(plan.id, at);
    await recordSpend(
      o.redis,
      { stack: plan.stack, monthlyUsd, at, planId: plan.id, kind: to === 'DONE' ? 'apply' : 'rollback' },
      { prefix: o.prefix ?? 'crew' },
    );
  };
}
