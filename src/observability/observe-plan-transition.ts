import type { PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';

/** The CrewMetrics methods a transition feeds. */
export interface TransitionSink {
  recordTransition(from: PlanState, to: PlanState): void;
  recordTokens(prompt: number, completion: number): void;
  setBudgetRatio(ratio: number, stack?: string): void;
  observeRollback(beginSeconds: number, finishSeconds: number): void;
}

const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

/**
 * Everything the metrics can learn from one plan transition, as the Conductor reports it
 * (the record already carries the patch of that transition). Each fact is recorded on the
 * one transition that produces it, so a plan is counted once however often it is read.
 */
export function observePlanTransition(sink: TransitionSink, plan: PlanRecord, from: PlanState, to: PlanState): void {
  sink.recordTransition(from, to);
  // The PlanSpec (and the LLM tokens spent on it) arrives as the plan leaves DRAFTING.
  if (from === 'DRAFTING' && plan.spec?.tokens) sink.recordTokens(plan.spec.tokens.prompt, plan.spec.tokens.completion);
  const ratio = plan.validation?.budget.ratio;
  if (from === 'VALIDATING' && typeof ratio === 'number')
    sink.setBudgetRatio(ratio, plan.stack ?? plan.spec?.stack ?? 'unknown');
  const rb = plan.rollback;
  if (from === 'ROLLBACK' && rb?.startedAt && rb.finishedAt) {
    sink.observeRollback(secondsBetween(rb.requestedAt, rb.startedAt), secondsBetween(rb.requestedAt, rb.finishedAt));
  }
}
