import { ok, refuse, type Refusal, type Result } from '../errors.js';
import type { SlackDeps } from './slack-deps.js';
import { withSurface } from '../store/audit-surface.js';

const ROLLBACK_WINDOW_MS = 10 * 60_000;

/** Rollback from Slack: one request per plan at a time; who may is the crew's rule (ops.requestRollback). */
export function rollbackPlan(deps: SlackDeps, a: { planId: string; by: string }): Promise<Result<string>> {
  return withSurface('slack', () => rollbackFromSlack(deps, a));
}

async function rollbackFromSlack(deps: SlackDeps, a: { planId: string; by: string }): Promise<Result<string>> {
  const found = await deps.ops.find(a.planId);
  if (!found.ok) return found;
  const plan = found.value;
  const refused = async (refusal: string): Promise<Refusal> => {
    await deps.plans.audit(plan.id, { by: a.by, action: 'rollback', refusal });
    return refuse('refused', refusal);
  };
  const key = `rollback:${plan.id}:${plan.version ?? 0}`;
  if (plan.state === 'DONE' && !(await deps.guard.claim(key, ROLLBACK_WINDOW_MS)))
    return refused(`a rollback of plan ${plan.id} is already under way`);
  const r = await deps.ops.requestRollback(plan.id, a.by, `rollback requested in Slack by ${a.by}`);
  if (!r.ok) {
    if (plan.state === 'DONE') await deps.guard.release(key);
    return r; // ops.requestRollback audits its refusals
  }
  return ok(
    `:rewind: <@${a.by}> started a rollback of plan ${plan.id} to version ${r.value.rollback?.toVersion ?? 0}.`,
  );
}
