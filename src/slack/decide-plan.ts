import { ok, refuse, type Refusal, type Result } from '../errors.js';
import type { SlackDeps } from './slack-deps.js';
import { withSurface } from '../store/audit-surface.js';

// Two clicks (or an Approve and a Reject) within this window are one decision; the Conductor
// takes minutes at most to act on the first.
const DECISION_WINDOW_MS = 10 * 60_000;

/**
 * Approve or reject from Slack. `sha` is the plan file the person saw (a button carries it);
 * a stale one is refused. The rules themselves are PlanOperations' and the Conductor's.
 */
export function decidePlan(
  deps: SlackDeps,
  a: { planId: string; decision: 'approve' | 'reject'; by: string; sha?: string; reason?: string },
): Promise<Result<string>> {
  return withSurface('slack', () => decideFromSlack(deps, a));
}

async function decideFromSlack(
  deps: SlackDeps,
  a: { planId: string; decision: 'approve' | 'reject'; by: string; sha?: string; reason?: string },
): Promise<Result<string>> {
  const found = await deps.ops.find(a.planId);
  if (!found.ok) return found;
  const plan = found.value;
  const refused = async (refusal: string): Promise<Refusal> => {
    await deps.plans.audit(plan.id, { by: a.by, action: a.decision, refusal });
    return refuse('refused', refusal);
  };
  // A button carries the whole sha256; `/approve <id> <sha prefix>` a prefix, which ops.decide checks.
  if (a.sha !== undefined && a.sha.length === 64 && a.sha !== (plan.planSha256 ?? 'none')) {
    return refused(
      `this button is for an older plan file (sha256 ${a.sha.slice(0, 12)}); plan ${plan.id} is now ${plan.state} with ${(plan.planSha256 ?? 'no plan file').slice(0, 12)}: review the current message`,
    );
  }
  const key = `decision:${plan.id}:${plan.planSha256 ?? 'none'}`;
  if (plan.state === 'WAIT_FOR_APPROVE' && !(await deps.guard.claim(key, DECISION_WINDOW_MS))) {
    return refused(`a decision on plan ${plan.id} is already being processed`);
  }
  const r = await deps.ops.decide(plan.id, a.decision, a.by, 'slack', {
    ...(a.reason ? { reason: a.reason } : {}),
    ...(a.sha !== undefined ? { sha: a.sha } : {}),
  });
  if (!r.ok) {
    if (plan.state === 'WAIT_FOR_APPROVE') await deps.guard.release(key);
    // decide() records refusals itself while the plan waits for approval; the rest are recorded here.
    if (plan.state !== 'WAIT_FOR_APPROVE')
      await deps.plans.audit(plan.id, { by: a.by, action: a.decision, refusal: r.refusal });
    return r;
  }
  return ok(
    a.decision === 'approve'
      ? `:rocket: <@${a.by}> approved plan ${plan.id} (plan file sha256 ${r.value.planSha256.slice(0, 12)}${r.value.bound ? ', the one you reviewed' : ', the current one'}); applying it.`
      : `:x: <@${a.by}> rejected plan ${plan.id}.`,
  );
}
