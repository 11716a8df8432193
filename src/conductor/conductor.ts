import type { Artifact } from '../../contracts/envelope.js';
import { makeArtifact } from '../bus/artifact-bus.js';
import { eventTiming, NotYetError } from '../plan/event-order.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { mayHoldStack, type PlanEvent } from '../plan/plan-states.js';
import { surfaceOfProducer, withSurface } from '../store/audit-surface.js';
import type { AdvanceResult } from '../store/plan-store.js';
import { CONDUCTOR, type ConductorContext, type ConductorOptions } from './conductor-context.js';
import { onApplyResult } from './on-apply-result.js';
import { onApprovalDecision } from './on-approval-decision.js';
import { onBuildStatus, onValidateRequest, onValidationResult } from './on-build-progress.js';
import { goalCause, goalOf } from './goal-of-plan.js';
import { onPlanPending } from './on-plan-pending.js';
import { reconcilePlans } from './reconcile-plans.js';
import type { OpenPlan } from '../store/open-plans.js';
import { onRollbackResult, startRollback } from './rollback-steps.js';

export type { ConductorOptions } from './conductor-context.js';
export { ROLLBACK_BEGIN_SLA_MS, ROLLBACK_FINISH_SLA_MS } from './rollback-steps.js';

/**
 * Owns every plan's state: reacts to the agents' artifacts (one handler file per kind) and moves
 * plans by compare-and-set. Only `advance` changes a plan; it also frees the stack when a plan
 * leaves the locking states and tells the surfaces on the notify stream.
 */
export class Conductor implements ConductorContext {
  readonly options: ConductorOptions;
  private readonly clock: () => Date;

  constructor(options: ConductorOptions) {
    this.options = options;
    this.clock = options.now ?? (() => new Date());
  }

  now(): Date {
    return this.clock();
  }

  register(): void {
    const { bus } = this.options;
    // The audit records the surface behind each step: the producer of the artifact it answers.
    const from = (a: Artifact, handle: () => Promise<void>) => withSurface(surfaceOfProducer(a.producer), handle);
    bus.consume('plan.pending', CONDUCTOR, (a) => from(a, () => onPlanPending(this, a)));
    bus.consume('build.status', CONDUCTOR, (a) => from(a, () => onBuildStatus(this, a)));
    bus.consume('validate.pending', CONDUCTOR, (a) => from(a, () => onValidateRequest(this, a)));
    bus.consume('validate.result', CONDUCTOR, (a) => from(a, () => onValidationResult(this, a)));
    bus.consume('approval.decision', CONDUCTOR, (a) => from(a, () => onApprovalDecision(this, a)));
    bus.consume('apply.result', CONDUCTOR, (a) => from(a, () => onApplyResult(this, a)));
    bus.consume('rollback.result', CONDUCTOR, (a) => from(a, () => onRollbackResult(this, a)));
  }

  /**
   * A queued plan the scheduler found stale at its turn (its stack moved to `version` while it
   * waited) goes back to DRAFTING and its goal to Atlas, which reads it against the stack as it
   * stands now: never built from the spec drafted before. It keeps the stack meanwhile (its turn
   * has come), and is admitted again when Atlas answers.
   */
  async redraft(planId: string, reason: string, version: number): Promise<void> {
    const r = await this.advance(planId, 'STACK_MOVED', CONDUCTOR, reason, { redraftedAt: version });
    if (r.status === 'moved') await this.sendGoalAgain(r.plan);
  }

  /**
   * A plan still DRAFTING whose spec Atlas drafted against an older version than the stack's
   * `version` now (admitted just after the holder's apply ended): its goal goes to Atlas again,
   * once per version, and it keeps the stack meanwhile. An answer to an earlier reading that
   * arrives after that is set aside: the answer to this one is on its way.
   */
  async readAgain(plan: PlanRecord, version: number, reason: string): Promise<void> {
    if (plan.redraftedAt === version) {
      this.options.logger.info(
        { planId: plan.id, version },
        'an answer drafted before the goal was read again set aside',
      );
      return;
    }
    await this.options.plans.patch(plan.id, { redraftedAt: version });
    this.options.logger.info({ planId: plan.id, version }, reason);
    await this.sendGoalAgain({ ...plan, redraftedAt: version });
  }

  /** The plan's goal, as it was sent, to Atlas under the id of its reading at `redraftedAt`. */
  private async sendGoalAgain(plan: PlanRecord): Promise<void> {
    await this.options.bus.publish(
      'goal.submitted',
      makeArtifact('GoalStatement', plan.id, goalOf(plan), { producer: CONDUCTOR, cause: goalCause(plan) }),
    );
  }

  async advance(
    planId: string,
    event: PlanEvent,
    by: string,
    reason: string,
    patch: Partial<PlanRecord> = {},
    seen?: PlanRecord,
  ): Promise<AdvanceResult> {
    const o = this.options;
    const r = await o.plans.advance(planId, event, by, reason, patch, seen);
    if (r.status === 'moved') {
      // Back to DRAFTING (drafted again at its turn), a plan keeps the stack it holds.
      if (!mayHoldStack(r.to) && r.plan.stack) {
        await o.lock.release(r.plan.stack, planId);
        await o.scheduler.promoteNext(r.plan.stack);
      }
      await o.onTransition?.(r.plan, r.from, r.to);
      // Surfaces (Slack threads, dashboards) follow plans on the notify stream.
      const note = {
        kind: 'transition' as const,
        from: r.from,
        to: r.to,
        by,
        detail: reason.slice(0, 4000),
        ...(r.plan.stack ? { stack: r.plan.stack } : {}),
      };
      await o.bus.publish(
        'notify',
        makeArtifact('OpsEvent', planId, note, {
          producer: CONDUCTOR,
          cause: `transition:${planId}:${r.from}:${r.to}:${r.plan.updatedAt}`,
        }),
      );
    }
    if (r.status === 'refused' && eventTiming(r.state, event) === 'not-yet')
      throw new NotYetError(planId, r.state, event);
    return r;
  }

  async planOf(a: Artifact): Promise<PlanRecord | undefined> {
    const plan = await this.options.plans.get(a.planId);
    if (!plan) this.options.logger.warn({ planId: a.planId, artifact: a.id }, 'artifact for an unknown plan dropped');
    return plan;
  }

  async expire(planId: string): Promise<void> {
    await this.advance(planId, 'EXPIRE', CONDUCTOR, 'no decision within the approval window');
  }

  /** Moves the plan into ROLLBACK and asks Forge to restore the stack's previous version. */
  startRollback(
    plan: PlanRecord,
    event: 'APPLY_FAILED' | 'ROLLBACK_REQUESTED',
    by: string,
    reason: string,
  ): Promise<AdvanceResult> {
    return startRollback(this, plan, event, by, reason);
  }

  /**
   * Repairs what a crash between a committed transition and its publish can leave behind when
   * no bus entry will be redelivered: a rollback never dispatched, a goal never submitted.
   */
  reconcile(active?: readonly OpenPlan[]): Promise<void> {
    return reconcilePlans(this, active);
  }
}
