import { checkRollback } from './check-access.js';
import type { SlackOutcome } from './decide-plan.js';
import type { SlackDeps } from './slack-deps.js';

const ROLLBACK_WINDOW_MS = 10 * 60_000;

/** Rollback from Slack: who may, one request per plan at a time, refusals audited. */
export async function rollbackPlan(deps: SlackDeps, a: { planId: string; by: string }): Promise<SlackOutcome> {
  const found = await deps.ops.find(a.planId);
  if (!found.ok) return { ok: false, refusal: found.refusal };
  const plan = found.value;
  const refuse = async (refusal: string): Promise<SlackOutcome> => {
    await deps.plans.audit(plan.id, { by: a.by, action: 'rollback', refusal });
    return { ok: false, refusal };
  };
  const denied = checkRollback(deps.approvers(), plan, a.by);
  if (denied) return refuse(denied);
  const key = `rollback:${plan.id}:${plan.version ?? 0}`;
  if (plan.state === 'DONE' && !(await deps.guard.claim(key, ROLLBACK_WINDOW_MS))) return refuse(`a rollback of plan ${plan.id} is already under way`);
  const r = await deps.ops.requestRollback(plan.id, a.by, `rollback requested in Slack by ${a.by}`);
  if (!r.ok) {
    if (plan.state === 'DONE') await deps.guard.release(key);
    return refuse(r.refusal);
  }
  return { ok: true, text: `:rewind: <@${a.by}> started a rollback of plan ${plan.id} to version ${r.value.rollback?.toVersion ?? 0}.` };
}
