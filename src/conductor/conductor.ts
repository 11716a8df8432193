import type { Artifact } from '../../contracts/envelope.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanStore, AdvanceResult } from '../store/plan-store.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { StackLock } from '../store/stack-lock.js';
import type { StackStore } from '../store/stack-store.js';
import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import type { AccessPolicySource } from '../access/access-policy.js';
import { sameIdentity } from '../access/normalize-identity.js';
import { checkApproval, explainNotWaiting } from './check-approval.js';
import { eventTiming, NotYetError } from '../plan/event-order.js';
import { LOCKING_STATES, type PlanEvent, type PlanState } from '../plan/plan-states.js';
import { summarizeFindings } from './summarize-findings.js';
import type { StackScheduler } from './stack-scheduler.js';

export interface ConductorOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  scheduler: StackScheduler;
  logger: Logger;
  /** The crew's access policy (approvers, four-eyes, approval window), read for every decision. */
  access: AccessPolicySource;
  now?: () => Date;
  /** Called after every committed transition (metrics, Slack threads, fault injection). */
  onTransition?: (plan: PlanRecord, from: PlanState, to: PlanState) => void | Promise<void>;
}

const P = 'conductor';
// Rollback SLA from the seed: begin within 5 minutes, finish within 15.
export const ROLLBACK_BEGIN_SLA_MS = 5 * 60_000;
export const ROLLBACK_FINISH_SLA_MS = 15 * 60_000;
// A goal still in DRAFTING this long after submission was never published (or was lost).
const DRAFTING_GRACE_MS = 120_000;
// Forge acknowledges a build within moments; a plan PENDING this long lost its build request.
const PENDING_GRACE_MS = 60_000;

/** Owns every plan's state: reacts to the agents' artifacts and moves plans by compare-and-set. */
export class Conductor {
  private readonly o: ConductorOptions;
  private readonly now: () => Date;

  constructor(options: ConductorOptions) {
    this.o = options;
    this.now = options.now ?? (() => new Date());
  }

  register(): void {
    const { bus } = this.o;
    bus.consume('plan.pending', P, (a) => this.onPlanPending(a));
    bus.consume('build.status', P, (a) => this.onBuildStatus(a));
    bus.consume('validate.pending', P, (a) => this.onValidateRequest(a));
    bus.consume('validate.result', P, (a) => this.onValidationResult(a));
    bus.consume('approval.decision', P, (a) => this.onApprovalDecision(a));
    bus.consume('apply.result', P, (a) => this.onApplyResult(a));
    bus.consume('rollback.result', P, (a) => this.onRollbackResult(a));
  }

  /** Moves a plan and runs the transition hooks; an early event throws so the bus retries it. */
  async advance(
    planId: string,
    event: PlanEvent,
    by: string,
    reason: string,
    patch: Partial<PlanRecord> = {},
  ): Promise<AdvanceResult> {
    const r = await this.o.plans.advance(planId, event, by, reason, patch);
    if (r.status === 'moved') {
      if (!LOCKING_STATES.has(r.to) && r.plan.stack) {
        await this.o.lock.release(r.plan.stack, planId);
        await this.o.scheduler.promoteNext(r.plan.stack);
      }
      await this.o.onTransition?.(r.plan, r.from, r.to);
      // Surfaces (Slack threads, dashboards) follow plans on the notify stream.
      const note = {
        kind: 'transition' as const,
        from: r.from,
        to: r.to,
        by,
        detail: reason.slice(0, 4000),
        ...(r.plan.stack ? { stack: r.plan.stack } : {}),
      };
      await this.o.bus.publish(
        'notify',
        makeArtifact('OpsEvent', planId, note, {
          producer: P,
          cause: `transition:${planId}:${r.from}:${r.to}:${r.plan.updatedAt}`,
        }),
      );
    }
    if (r.status === 'refused' && eventTiming(r.state, event) === 'not-yet')
      throw new NotYetError(planId, r.state, event);
    return r;
  }

  private async plan(a: Artifact): Promise<PlanRecord | undefined> {
    const plan = await this.o.plans.get(a.planId);
    if (!plan) this.o.logger.warn({ planId: a.planId, artifact: a.id }, 'artifact for an unknown plan dropped');
    return plan;
  }

  /** Atlas's answer to a goal: a PlanSpec, or DesignBlocked when it cannot make one. */
  private async onPlanPending(a: ArtifactOn<'plan.pending'>): Promise<void> {
    const plan = await this.plan(a);
    if (!plan) return;
    if (a.type === 'DesignBlocked') {
      if (plan.state !== 'DRAFTING') return;
      const attempts = await this.o.plans.countBlocked(plan.requestedBy);
      const rationale = [...a.payload.rationale];
      const { approvers } = await this.o.access.current();
      if (attempts >= 2) {
        rationale.push(
          `escalated: ${attempts} attempts in a row were blocked; ${approvers.length ? `approvers ${approvers.join(', ')} were asked` : 'the approvers were asked'} to help shape this change`,
        );
      }
      await this.advance(plan.id, 'DESIGN_BLOCKED', 'atlas', a.payload.reason, {
        blocked: { reason: a.payload.reason, rationale },
      });
      if (attempts >= 2) {
        const detail = `${plan.requestedBy}'s goal was blocked ${attempts} times in a row (latest: ${a.payload.reason}); approvers: ${approvers.join(', ') || '(any)'}`;
        await this.o.bus.publish(
          'ops.event',
          makeArtifact(
            'OpsEvent',
            plan.id,
            { kind: 'escalation', detail: detail.slice(0, 4000) },
            { producer: P, cause: a, salt: 'escalation' },
          ),
        );
      }
      return;
    }
    if (plan.state === 'DRAFTING') await this.o.plans.countBlocked(plan.requestedBy, true);
    const spec = a.payload;
    let current: PlanRecord = plan;
    if (plan.state === 'DRAFTING') {
      const admission = await this.o.scheduler.admit(plan.id, spec.stack);
      if (!admission.admitted) {
        const holder = await this.o.plans.get(admission.holder);
        const reason = `queued behind plan ${admission.holder}${holder ? ` (${holder.state}, requested by ${holder.requestedBy})` : ''} for stack ${spec.stack}; it starts when that plan finishes`;
        const r = await this.advance(plan.id, 'PLAN_SPEC', 'atlas', reason, {
          spec,
          stack: spec.stack,
          queuedBehind: admission.holder,
        });
        // The holder may have finished between the queueing and now.
        if (r.status === 'moved') await this.o.scheduler.promoteNext(spec.stack);
        return;
      }
      const r = await this.advance(
        plan.id,
        'PLAN_SPEC',
        'atlas',
        `${spec.blueprint} for stack ${spec.stack} (parsed by ${spec.parsedBy})`,
        {
          spec,
          stack: spec.stack,
          baseVersion: admission.baseVersion,
        },
      );
      if (r.status === 'missing') return;
      current = r.plan;
    }
    // Also on redelivery after a crash between the transition and this publish.
    if (current.state === 'PENDING' && current.queuedBehind === undefined)
      await this.o.scheduler.publishBuild(plan.id, spec);
  }

  private async onBuildStatus(a: ArtifactOn<'build.status'>): Promise<void> {
    const { phase, ok, detail } = a.payload;
    if (phase === 'ack' && ok) {
      await this.advance(a.planId, 'FORGE_ACK', 'forge', 'forge took the build');
    } else if ((phase === 'init' || phase === 'plan' || phase === 'ack') && !ok) {
      const plan = await this.plan(a);
      if (plan && (plan.state === 'PENDING' || plan.state === 'IN_PROGRESS')) {
        await this.advance(a.planId, 'BUILD_FAILED', 'forge', `terraform ${phase} failed`, { failure: detail });
      }
    }
  }

  private async onValidateRequest(a: ArtifactOn<'validate.pending'>): Promise<void> {
    const { planFile, planJson, summary } = a.payload;
    await this.advance(
      a.planId,
      'PLAN_READY',
      'forge',
      `plan saved (${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.delete} to destroy)`,
      {
        planFile,
        planJson,
        planSha256: planFile.sha256,
        summary,
      },
    );
  }

  private async onValidationResult(a: ArtifactOn<'validate.result'>): Promise<void> {
    const plan = await this.plan(a);
    if (!plan) return;
    const v = a.payload;
    if (v.planSha256 && plan.planSha256 && v.planSha256 !== plan.planSha256) {
      // Its ValidateRequest (a re-plan's) has not been recorded yet: retry once it has.
      if (plan.state === 'PENDING' || plan.state === 'IN_PROGRESS')
        throw new NotYetError(plan.id, plan.state, 'VALIDATION_PASS');
      // A redelivered build made a second plan file with the same request id, and Sentinel
      // judged that one: ask again for the file under review, or the plan would wait forever.
      if (plan.state === 'VALIDATING' && plan.stack && plan.planFile && plan.planJson && plan.summary) {
        const req = { stack: plan.stack, planFile: plan.planFile, planJson: plan.planJson, summary: plan.summary };
        await this.o.bus.publish(
          'validate.pending',
          makeArtifact('ValidateRequest', plan.id, req, { producer: P, cause: a }),
        );
      }
      this.o.logger.info({ planId: plan.id }, 'validation of another plan file than the one under review');
      return;
    }
    if (v.verdict === 'FAIL') {
      const reason = summarizeFindings(v);
      await this.advance(plan.id, 'VALIDATION_FAIL', 'sentinel', reason, {
        validation: v,
        blocked: { reason, rationale: [] },
      });
      return;
    }
    let state = plan.state;
    if (state === 'VALIDATING' || state === 'IN_PROGRESS' || state === 'PENDING') {
      const r = await this.advance(plan.id, 'VALIDATION_PASS', 'sentinel', summarizeFindings(v), { validation: v });
      state = r.status === 'moved' ? r.to : r.status === 'refused' ? r.state : state;
    }
    if (state === 'READY_FOR_APPLY') {
      const { approvalTtlMs } = await this.o.access.current();
      const expiresAt = new Date(this.now().getTime() + approvalTtlMs).toISOString();
      await this.advance(plan.id, 'REVIEW_POSTED', P, `review posted; approval open until ${expiresAt}`, { expiresAt });
    }
  }

  private async onApprovalDecision(a: ArtifactOn<'approval.decision'>): Promise<void> {
    const plan = await this.plan(a);
    if (!plan) return;
    const d = a.payload;
    // The person who decided waits for this outcome (decision id = artifact id): say what happened.
    const settle = (outcome: { accepted: true } | { accepted: false; refusal: string }) =>
      this.o.plans.recordDecision(plan.id, a.id, {
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
      await this.publishApply(plan, a); // redelivered after a crash: the apply request may not have gone out
      await settle({ accepted: true });
      return;
    }
    const policy = await this.o.access.current();
    const check = checkApproval(
      plan,
      { decision: d.decision, by: d.by, planSha256: d.planSha256, now: this.now() },
      policy,
    );
    if (!check.ok) {
      await this.o.plans.audit(plan.id, { by: d.by, action: d.decision, refusal: check.refusal });
      await settle({ accepted: false, refusal: check.refusal });
      if (check.expired) await this.expire(plan.id);
      return;
    }
    const verb = d.decision === 'approve' ? 'approved' : 'rejected';
    const r =
      d.decision === 'reject'
        ? await this.advance(plan.id, 'REJECT', d.by, d.reason ?? 'rejected', { rejectedBy: d.by })
        : await this.advance(
            plan.id,
            'APPROVE',
            d.by,
            d.reason ?? `approved plan file sha256 ${d.planSha256.slice(0, 12)}`,
            { approvedBy: d.by },
          );
    if (r.status !== 'moved') {
      // Another decision won the race between the check and the compare-and-set.
      const refusal = r.status === 'refused' ? explainNotWaiting(r.plan, verb) : `no plan with id ${plan.id}`;
      await this.o.plans.audit(plan.id, { by: d.by, action: d.decision, refusal });
      await settle({ accepted: false, refusal });
      return;
    }
    await settle({ accepted: true });
    if (d.decision === 'approve') await this.publishApply(r.plan, a);
  }

  private async publishApply(plan: PlanRecord, cause: Artifact): Promise<void> {
    if (!plan.planFile || !plan.planSha256 || !plan.stack || !plan.approvedBy)
      throw new Error(`plan ${plan.id} is missing its plan file`);
    await this.o.bus.publish(
      'apply.request',
      makeArtifact(
        'ApplyRequest',
        plan.id,
        { stack: plan.stack, planSha256: plan.planSha256, planFile: plan.planFile, approvedBy: plan.approvedBy },
        { producer: P, cause },
      ),
    );
  }

  async expire(planId: string): Promise<void> {
    await this.advance(planId, 'EXPIRE', P, 'no decision within the approval window');
  }

  private async onApplyResult(a: ArtifactOn<'apply.result'>): Promise<void> {
    const plan = await this.plan(a);
    if (!plan || !plan.stack) return;
    const { result, detail, outputs } = a.payload;
    if (result === 'APPLY_DONE') {
      const version = await this.o.stacks.recordApplied(plan.stack, {
        planId: plan.id,
        spec: plan.spec ?? null,
        monthlyUsd: plan.validation?.cost.monthlyUsd ?? 0,
        appliedAt: this.now().toISOString(),
      });
      await this.advance(plan.id, 'APPLY_DONE', 'forge', `applied as version ${version} of ${plan.stack}`, {
        version,
        outputs,
      });
      return;
    }
    if (result === 'APPLY_STALE') {
      // The re-plan starts from the stack as it is now: that is what a rollback must restore.
      const baseVersion = await this.o.stacks.currentVersion(plan.stack);
      const r = await this.advance(
        plan.id,
        'APPLY_STALE',
        'forge',
        'the stack changed since this plan was made: re-planning; a fresh approval is needed',
        {
          failure: detail,
          baseVersion,
        },
      );
      if (r.status === 'moved' && plan.spec) {
        await this.o.bus.publish(
          'build.request',
          makeArtifact('PlanSpec', plan.id, plan.spec, { producer: P, cause: a }),
        );
      }
      return;
    }
    if (result === 'APPLY_REFUSED') {
      // Nothing was applied: the stack is as it was, so there is nothing to roll back.
      await this.advance(
        plan.id,
        'APPLY_REFUSED',
        'forge',
        `apply refused: ${(detail ?? 'nothing was applied').slice(0, 1000)}`,
        { failure: detail },
      );
      return;
    }
    if (result === 'APPLY_IN_DOUBT') {
      // An apply may still be running: a rollback now would race it. A person decides.
      const reason = `apply in doubt: ${(detail ?? '').slice(0, 1000)} — a human must check stack ${plan.stack}; nothing was rolled back`;
      const r = await this.advance(plan.id, 'APPLY_IN_DOUBT', 'forge', reason, { failure: detail });
      if (r.status === 'moved' || (r.status === 'refused' && r.state === 'FAILED')) {
        const note = {
          kind: 'escalation' as const,
          stack: plan.stack,
          detail: `apply of ${plan.id} may still be in flight; stack ${plan.stack} needs a human`,
        };
        await this.o.bus.publish(
          'ops.event',
          makeArtifact('OpsEvent', plan.id, note, { producer: P, cause: a, salt: 'escalation' }),
        );
      }
      return;
    }
    await this.startRollback(plan, 'APPLY_FAILED', 'forge', `apply failed: ${(detail ?? '').slice(0, 300)}`);
  }

  /** Moves the plan into ROLLBACK and asks Forge to restore the stack's previous version. */
  async startRollback(
    plan: PlanRecord,
    event: 'APPLY_FAILED' | 'ROLLBACK_REQUESTED',
    by: string,
    reason: string,
  ): Promise<AdvanceResult> {
    const rollback = { by, toVersion: plan.baseVersion ?? 0, requestedAt: this.now().toISOString(), reason };
    const r = await this.advance(plan.id, event, by, reason, {
      rollback,
      ...(event === 'APPLY_FAILED' ? { failure: reason } : {}),
    });
    const current = r.status === 'moved' || r.status === 'refused' ? r.plan : undefined;
    if (current?.state === 'ROLLBACK') await this.dispatchRollback(current);
    return r;
  }

  /** Publishes the plan's RollbackRequest; its id derives from the request time, so a repeat is the same artifact. */
  private async dispatchRollback(plan: PlanRecord): Promise<void> {
    if (!plan.stack) return;
    // A plan that entered ROLLBACK without a record (e.g. a dead letter mid-apply) still gets one.
    const rb = plan.rollback ?? {
      by: 'crew',
      toVersion: plan.baseVersion ?? 0,
      requestedAt: this.now().toISOString(),
      reason: plan.failure ?? 'rollback after a failure',
    };
    if (!plan.rollback) await this.o.plans.patch(plan.id, { rollback: rb });
    if (rb.dispatched) return;
    const payload = {
      stack: plan.stack,
      toVersion: rb.toVersion,
      by: rb.by,
      ...(rb.reason ? { reason: rb.reason } : {}),
    };
    await this.o.bus.publish(
      'rollback.request',
      makeArtifact('RollbackRequest', plan.id, payload, {
        producer: P,
        cause: `rollback:${plan.id}:${rb.requestedAt}`,
      }),
    );
    await this.o.plans.patch(plan.id, { rollback: { ...rb, dispatched: true } });
  }

  /**
   * Repairs what a crash between a committed transition and its publish can leave behind when
   * no bus entry will be redelivered: a rollback never dispatched, a goal never submitted.
   */
  async reconcile(): Promise<void> {
    const now = this.now().getTime();
    for (const plan of await this.o.plans.active()) {
      if (plan.state === 'ROLLBACK') await this.dispatchRollback(plan);
      if (plan.state === 'PENDING' && plan.stack && plan.spec) {
        if (plan.queuedBehind !== undefined) await this.o.scheduler.promoteNext(plan.stack);
        else if (now - Date.parse(plan.updatedAt) > PENDING_GRACE_MS)
          await this.o.scheduler.publishBuild(plan.id, plan.spec);
      }
      if (plan.state === 'DRAFTING' && now - Date.parse(plan.createdAt) > DRAFTING_GRACE_MS) {
        const goal = {
          text: plan.goal,
          requestedBy: plan.requestedBy,
          ...(plan.target ? { target: plan.target as 'sandbox' } : {}),
          ...(plan.budgetUsd !== undefined ? { budgetUsd: plan.budgetUsd } : {}),
          ...(plan.channel ? { channel: plan.channel } : {}),
          ...(plan.stack ? { stack: plan.stack } : {}),
        };
        await this.o.bus.publish(
          'goal.submitted',
          makeArtifact('GoalStatement', plan.id, goal, { producer: P, cause: `goal:${plan.id}` }),
        );
      }
    }
  }

  private async onRollbackResult(a: ArtifactOn<'rollback.result'>): Promise<void> {
    const plan = await this.plan(a);
    if (!plan || !plan.stack || !plan.rollback) return;
    const { result, startedAt, finishedAt, detail } = a.payload;
    const requested = Date.parse(plan.rollback.requestedAt);
    const slaBreached =
      Date.parse(startedAt) - requested > ROLLBACK_BEGIN_SLA_MS ||
      Date.parse(finishedAt) - requested > ROLLBACK_FINISH_SLA_MS;
    const rollback = { ...plan.rollback, startedAt, finishedAt, slaBreached };
    if (slaBreached) {
      await this.o.bus.publish(
        'ops.event',
        makeArtifact(
          'OpsEvent',
          plan.id,
          {
            kind: 'sla_breach',
            stack: plan.stack,
            detail: `rollback of ${plan.id} began ${startedAt}, finished ${finishedAt} (SLA: begin < 5 min, finish < 15 min)`,
          },
          { producer: P, cause: a },
        ),
      );
    }
    if (result === 'ROLLED_BACK') {
      const to = plan.rollback.toVersion;
      const target = await this.o.stacks.version(plan.stack, to);
      await this.o.stacks.setCurrent(plan.stack, to, target?.planId ?? '');
      await this.advance(
        plan.id,
        'ROLLBACK_DONE',
        'forge',
        to === 0 ? `stack ${plan.stack} destroyed (it was new)` : `stack ${plan.stack} restored to version ${to}`,
        { rollback },
      );
      return;
    }
    await this.advance(
      plan.id,
      'ROLLBACK_FAILED',
      'forge',
      `rollback failed: ${(detail ?? '').slice(0, 300)} — a human must check stack ${plan.stack}`,
      { rollback, failure: detail },
    );
    await this.o.bus.publish(
      'ops.event',
      makeArtifact(
        'OpsEvent',
        plan.id,
        {
          kind: 'escalation',
          stack: plan.stack,
          detail: `rollback of ${plan.id} failed; stack ${plan.stack} needs a human`,
        },
        { producer: P, cause: a, salt: 'escalation' },
      ),
    );
  }
}
