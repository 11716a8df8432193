import { ok, type Ok } from '../errors.js';
import type { DecisionRefusal } from '../conductor/plan-operations.js';
import type { SlackDeps } from './slack-deps.js';
import { withSurface } from '../store/audit-surface.js';

/** `confirm`: the stack name typed in the step-up modal (a risky plan needs it). */
export interface SlackDecision {
  planId: string;
  decision: 'approve' | 'reject';
  by: string;
  sha?: string;
  reason?: string;
  confirm?: string;
}

/**
 * Approve or reject from Slack. `sha` is the plan file the person saw (a button carries all of
 * it, `/approve <id> <sha>` a prefix). The binding, the double-click guard, the rules and their
 * audit are PlanOperations' and the Conductor's, the same for every surface.
 */
export function decidePlan(deps: SlackDeps, a: SlackDecision): Promise<Ok<string> | DecisionRefusal> {
  return withSurface('slack', () => decideFromSlack(deps, a));
}

async function decideFromSlack(deps: SlackDeps, a: SlackDecision): Promise<Ok<string> | DecisionRefusal> {
  const r = await deps.ops.decide(a.planId, a.decision, a.by, 'slack', {
    ...(a.reason ? { reason: a.reason } : {}),
    ...(a.sha !== undefined ? { sha: a.sha } : {}),
    ...(a.confirm !== undefined ? { confirm: a.confirm } : {}),
  });
  if (!r.ok) return r;
  const id = r.value.plan.id;
  const need = r.value.plan.approvalsRequired ?? 1;
  const file = `plan file sha256 ${r.value.planSha256.slice(0, 12)}${r.value.bound ? ', the one you reviewed' : ', the current one'}`;
  if (a.decision === 'reject') return ok(`:x: <@${a.by}> rejected plan ${id}.`);
  // With a quorum the approval is one of several: it applies when the last one is recorded.
  return ok(
    need > 1
      ? `:white_check_mark: <@${a.by}> approved plan ${id} (${file}); it applies once ${need} different people have approved this file.`
      : `:rocket: <@${a.by}> approved plan ${id} (${file}); applying it.`,
  );
}
