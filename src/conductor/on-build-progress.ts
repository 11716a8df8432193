import { makeArtifact } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import { NotYetError } from '../plan/event-order.js';
import { TERMINAL_STATES } from '../plan/plan-states.js';
import { DEFAULT_QUORUM, approvalsRequired as requiredApprovals } from '../access/approval-rules.js';
import { autoApprove } from './auto-approve.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';
import { summarizeFindings } from './summarize-findings.js';

/** Forge took the build, saved its plan, or its init/plan failed. */
export async function onBuildStatus(c: ConductorContext, a: ArtifactOn<'build.status'>): Promise<void> {
  const { phase, ok, detail } = a.payload;
  if (phase === 'ack' && ok) {
    await c.advance(a.planId, 'FORGE_ACK', 'forge', 'forge took the build');
  } else if (phase === 'plan' && ok) {
    await recordReviewNote(c, a.planId, detail);
  } else if ((phase === 'init' || phase === 'plan' || phase === 'ack') && !ok) {
    const plan = await c.planOf(a);
    if (plan && (plan.state === 'PENDING' || plan.state === 'IN_PROGRESS')) {
      await c.advance(a.planId, 'BUILD_FAILED', 'forge', `terraform ${phase} failed`, { failure: detail });
    }
  }
}

/** Forge saved a plan file and asked Sentinel: record the file the review is about. */
export async function onValidateRequest(c: ConductorContext, a: ArtifactOn<'validate.pending'>): Promise<void> {
  const { planFile, planJson, summary, rootConfigSha256 } = a.payload;
  await c.advance(
    a.planId,
    'PLAN_READY',
    'forge',
    `plan saved (${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.delete} to destroy)`,
    {
      planFile,
      planJson,
      planSha256: planFile.sha256,
      summary,
      ...(rootConfigSha256 ? { rootConfigSha256 } : {}),
    },
  );
}

/** Sentinel's verdict on the plan file under review: BLOCKED, or the review opens its approval window. */
export async function onValidationResult(c: ConductorContext, a: ArtifactOn<'validate.result'>): Promise<void> {
  const plan = await c.planOf(a);
  if (!plan) return;
  const v = a.payload;
  if (v.planSha256 && plan.planSha256 && v.planSha256 !== plan.planSha256) {
    // Its ValidateRequest (a re-plan's) has not been recorded yet: retry once it has.
    if (plan.state === 'PENDING' || plan.state === 'IN_PROGRESS')
      throw new NotYetError(plan.id, plan.state, 'VALIDATION_PASS');
    // A redelivered build made a second plan file with the same request id, and Sentinel
    // judged that one: ask again for the file under review, or the plan would wait forever.
    if (plan.state === 'VALIDATING' && plan.stack && plan.planFile && plan.planJson && plan.summary) {
      const req = {
        stack: plan.stack,
        planFile: plan.planFile,
        planJson: plan.planJson,
        summary: plan.summary,
        ...(plan.rootConfigSha256 ? { rootConfigSha256: plan.rootConfigSha256 } : {}),
      };
      await c.options.bus.publish(
        'validate.pending',
        makeArtifact('ValidateRequest', plan.id, req, { producer: CONDUCTOR, cause: a }),
      );
    }
    c.options.logger.info({ planId: plan.id }, 'validation of another plan file than the one under review');
    return;
  }
  if (v.verdict === 'FAIL') {
    const reason = summarizeFindings(v);
    await c.advance(
      plan.id,
      'VALIDATION_FAIL',
      'sentinel',
      reason,
      { validation: v, blocked: { reason, rationale: [] } },
      plan,
    );
    return;
  }
  let state = plan.state;
  let seen: typeof plan | undefined = plan;
  if (state === 'VALIDATING' || state === 'IN_PROGRESS' || state === 'PENDING') {
    const r = await c.advance(plan.id, 'VALIDATION_PASS', 'sentinel', summarizeFindings(v), { validation: v }, plan);
    state = r.status === 'moved' ? r.to : r.status === 'refused' ? r.state : state;
    seen = r.status === 'moved' ? r.plan : undefined;
  }
  if (state === 'READY_FOR_APPLY') {
    const { approvalTtlMs, quorum } = await c.options.access.current();
    const rules = quorum ?? DEFAULT_QUORUM;
    const expiresAt = new Date(c.now().getTime() + approvalTtlMs).toISOString();
    const approvalsRequired = requiredApprovals({ ...plan, validation: v }, rules.approvals);
    const r = await c.advance(
      plan.id,
      'REVIEW_POSTED',
      CONDUCTOR,
      `review posted; approval open until ${expiresAt}${approvalsRequired > 1 ? `; ${approvalsRequired} approvals from different people needed` : ''}`,
      { expiresAt, approvalsRequired },
      seen,
    );
    if (r.status === 'moved') await autoApprove(c, r.plan, rules.autoApprove, a);
  }
}

/**
 * Lines of a saved plan's BuildStatus after the change counts are for the reviewer (proxmox: what
 * playbooks/k3s --check would change); a re-plan without them clears the older ones.
 */
async function recordReviewNote(c: ConductorContext, planId: string, detail: string): Promise<void> {
  const plan = await c.options.plans.get(planId);
  if (!plan || TERMINAL_STATES.has(plan.state)) return;
  const note = detail.split('\n').slice(1).join('\n').trim();
  if (note) await c.options.plans.patch(planId, { reviewNote: note });
  else if (plan.reviewNote) await c.options.plans.clearField(planId, 'reviewNote');
}
