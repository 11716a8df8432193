import type { Artifact } from '../../contracts/envelope.js';
import { matchAutoApprove, type AutoApproveRule } from '../access/approval-rules.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { ConductorContext } from './conductor-context.js';
import { publishApply } from './on-approval-decision.js';

/**
 * A plan whose review just opened, in a class the org policy lets through without a person
 * (e.g. a dns-record add in one zone): recorded as approved by `policy:<rule id>` and applied.
 * Anything else (a remove, another zone, any destroy, replace or update) waits for people.
 */
export async function autoApprove(
  c: ConductorContext,
  plan: PlanRecord,
  rules: readonly AutoApproveRule[],
  cause: Artifact,
): Promise<void> {
  const rule = matchAutoApprove(plan, rules);
  if (!rule || !plan.planSha256) return;
  const by = `policy:${rule.id}`;
  const at = c.now().toISOString();
  await c.options.plans.addApproval(
    plan.id,
    { by, at, planSha256: plan.planSha256, decisionId: `auto:${cause.id}` },
    by,
  );
  const r = await c.advance(
    plan.id,
    'APPROVE',
    by,
    `auto-approved by org policy rule ${rule.id} (blueprint ${rule.blueprint}${rule.zone ? `, zone ${rule.zone}` : ''}${rule.action ? `, action ${rule.action}` : ''}): plan file sha256 ${plan.planSha256.slice(0, 12)}`,
    { approvedBy: by },
  );
  if (r.status === 'moved') await publishApply(c, r.plan, cause);
}
