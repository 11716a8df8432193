import type { GoalStatement } from '../../contracts/index.js';
import type { PlanRecord } from '../plan/plan-record.js';

/** The goal a plan was sent with, as its record keeps it: what Atlas reads again (a lost goal re-sent, a queued plan drafted again). */
export function goalOf(plan: PlanRecord): GoalStatement {
  return {
    text: plan.goal,
    requestedBy: plan.requestedBy,
    ...(plan.target ? { target: plan.target as NonNullable<GoalStatement['target']> } : {}),
    ...(plan.budgetUsd !== undefined ? { budgetUsd: plan.budgetUsd } : {}),
    ...(plan.channel ? { channel: plan.channel } : {}),
    ...(plan.stack ? { stack: plan.stack } : {}),
    ...(plan.drift ? { drift: plan.drift } : {}),
  };
}

/**
 * What the goal artifact's id derives from: the submission's (`goal:<id>`), or, for a plan drafted
 * again because its stack moved to version n while it was queued, `goal:<id>:v<n>`, so Atlas takes
 * it as a new goal rather than one it has already read, and a copy re-sent is still the same one.
 */
export function goalCause(plan: Pick<PlanRecord, 'id' | 'redraftedAt'>): string {
  return plan.redraftedAt === undefined ? `goal:${plan.id}` : `goal:${plan.id}:v${plan.redraftedAt}`;
}
