import type { Artifact } from '../../contracts/envelope.js';
import { identityKey, sameIdentity } from '../access/normalize-identity.js';
import { makeArtifact } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { checkApproval, explainNotWaiting } from './check-approval.js';
import { countApproval } from './count-approval.js';
import { judgeAccess } from './judge-access.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';

/** An approval or rejection: judged again by the crew's rules, recorded under its decision id, and applied. */
export async function onApprovalDecision(c: ConductorContext, a: ArtifactOn<'approval.decision'>): Promise<void> {
  const plan = await c.planOf(a);
  if (!plan) return;
  const d = a.payload;
  // The person who decided waits for this outcome (decision id = artifact id): say what happened.
  const settle = (
    outcome: { accepted: true; quorum?: { have: number; need: number } } | { accepted: false; refusal: string },
  ) =>
    c.options.plans.recordDecision(plan.id, a.id, {
      by: d.by,
      decision: d.decision,
      planSha256: d.planSha256,
      ...outcome,
    });
  if (
    plan.state === 'APPLYING' &&
    d.decision === 'approve' &&
    sameIdentity(plan.approvedBy, d.by) &&
    plan.planSha256 === d.planSha256
  ) {
    await publishApply(c, plan, a); // redelivered after a crash: the apply request may not have gone out
    await settle({ accepted: true });
    return;
  }
  const policy = await c.options.access.current();
  const verdict = await judgeAccess(c.options.plans, policy, { by: d.by, action: d.decision, plan });
  const check = checkApproval(
    plan,
    { decision: d.decision, by: d.by, planSha256: d.planSha256, now: c.now() },
    policy,
    verdict,
  );
  if (!check.ok) {
    await c.options.plans.audit(plan.id, { by: d.by, action: d.decision, refusal: check.refusal });
    await settle({ accepted: false, refusal: check.refusal });
    if (check.expired) await c.expire(plan.id);
    return;
  }
  const verb = d.decision === 'approve' ? 'approved' : 'rejected';
  let counted: { have: number; need: number } | undefined;
  if (d.decision === 'approve') {
    // Quorum: each distinct person's approval of this plan file counts once; the last one applies.
    const c1 = await countApproval(c, plan, { by: d.by, planSha256: d.planSha256, decisionId: a.id });
    if (!c1.ok) {
      await c.options.plans.audit(plan.id, { by: d.by, action: d.decision, refusal: c1.refusal });
      await settle({ accepted: false, refusal: c1.refusal });
      return;
    }
    if (c1.have < c1.need) {
      await settle({ accepted: true, quorum: { have: c1.have, need: c1.need } });
      return;
    }
    counted = c1;
  }
  const r =
    d.decision === 'reject'
      ? await c.advance(plan.id, 'REJECT', d.by, d.reason ?? 'rejected', { rejectedBy: d.by }, plan)
      : await c.advance(
          plan.id,
          'APPROVE',
          d.by,
          d.reason ?? `approved plan file sha256 ${d.planSha256.slice(0, 12)}`,
          { approvedBy: d.by },
          plan,
        );
  if (r.status !== 'moved') {
    // Another decision won the race between the check and the compare-and-set. An approval that
    // was one of a larger quorum completed at the same moment counted all the same; a surplus one
    // (a second approver of a one-approval plan) did not, and its person hears who came first.
    if (
      r.status === 'refused' &&
      d.decision === 'approve' &&
      r.plan.state === 'APPLYING' &&
      r.plan.planSha256 === d.planSha256 &&
      (sameIdentity(r.plan.approvedBy, d.by) ||
        (counted !== undefined && counted.need > 1 && counted.have <= counted.need))
    ) {
      await settle({ accepted: true });
      return;
    }
    if (d.decision === 'approve') await c.options.plans.removeApproval(plan.id, d.planSha256, identityKey(d.by));
    const refusal = r.status === 'refused' ? explainNotWaiting(r.plan, verb) : `no plan with id ${plan.id}`;
    await c.options.plans.audit(plan.id, { by: d.by, action: d.decision, refusal });
    await settle({ accepted: false, refusal });
    return;
  }
  await settle({ accepted: true });
  if (d.decision === 'approve') await publishApply(c, r.plan, a);
}

/** Asks Forge to apply the approved plan file; the id derives from the decision, so a repeat is the same artifact. */
export async function publishApply(c: ConductorContext, plan: PlanRecord, cause: Artifact): Promise<void> {
  if (!plan.planFile || !plan.planSha256 || !plan.stack || !plan.approvedBy)
    throw new Error(`plan ${plan.id} is missing its plan file`);
  await c.options.bus.publish(
    'apply.request',
    makeArtifact(
      'ApplyRequest',
      plan.id,
      {
        stack: plan.stack,
        planSha256: plan.planSha256,
        planFile: plan.planFile,
        approvedBy: plan.approvedBy,
        ...(plan.rootConfigSha256 ? { rootConfigSha256: plan.rootConfigSha256 } : {}),
      },
      { producer: CONDUCTOR, cause },
    ),
  );
}
