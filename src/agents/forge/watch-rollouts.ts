import type { PlanRecord } from '../../plan/plan-record.js';
import type { PlanState } from '../../plan/plan-states.js';
import type { PlanStore } from '../../store/plan-store.js';
import type { RolloutWatchStore } from '../../store/rollout-watch-store.js';
import type { StackStore } from '../../store/stack-store.js';

export interface WatchRolloutsOptions {
  watches: RolloutWatchStore;
  plans: Pick<PlanStore, 'history'>;
  stacks: Pick<StackStore, 'version'>;
  /** The crew's region, for a spec that names none. */
  region: string;
}

/**
 * After an apply or a rollback of an Ollama group on AWS, the crew follows the instance refresh
 * it may have started (a change of instance types, model or volume starts one; AWS replaces the
 * running instances for minutes after the apply has ended): see followRollouts. Called after
 * every committed transition; only DONE and ROLLED_BACK of such a stack record anything.
 */
export function watchRollouts(o: WatchRolloutsOptions): (plan: PlanRecord, to: PlanState) => Promise<void> {
  return async (plan, to) => {
    if (!plan.stack || (to !== 'DONE' && to !== 'ROLLED_BACK')) return;
    const spec = to === 'DONE' ? plan.spec : (await o.stacks.version(plan.stack, plan.rollback?.toVersion ?? 0))?.spec;
    if (spec?.blueprint !== 'aws-spot-ollama' || (spec.target ?? plan.target) !== 'aws') return;
    const group = plan.outputs?.['autoscaling_group_name'];
    const since =
      to === 'ROLLED_BACK'
        ? (plan.rollback?.startedAt ?? plan.rollback?.requestedAt)
        : (await o.plans.history(plan.id)).findLast((t) => t.to === 'APPLYING')?.at;
    if (typeof group !== 'string' || !since) return;
    await o.watches.add({ planId: plan.id, stack: plan.stack, group, region: spec.region ?? o.region, since });
  };
}
