import type { GoalStatement } from '../../contracts/index.js';
import type { IntentBody } from './api-schemas.js';

/** The goal an intent body submits as `requestedBy`: what POST /api/v1/intent and the MCP `plan_infrastructure` tool send. */
export function intentGoal(b: IntentBody, requestedBy: string): GoalStatement {
  return {
    text: b.nl,
    requestedBy,
    ...(b.target ? { target: b.target } : {}),
    ...(b.budgetUsd !== undefined ? { budgetUsd: b.budgetUsd } : {}),
    ...(b.stack ? { stack: b.stack } : {}),
  };
}
