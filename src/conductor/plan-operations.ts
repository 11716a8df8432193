import type { GoalStatement } from '../../contracts/index.js';
import { checkPayload } from '../../contracts/index.js';
import type { PlanStore } from '../store/plan-store.js';
import type { PlanRecord } from '../store/plan-record.js';
import type { StackLock } from '../store/stack-lock.js';
import type { StackStore } from '../store/stack-store.js';
import { newPlanId, randomArtifactId } from '../util/new-id.js';
import { redactText } from '../log/redact-text.js';
import { makeArtifact, type ArtifactBus } from './artifact-bus.js';
import { checkApproval, type ApprovalPolicy } from './check-approval.js';
import type { Conductor } from './conductor.js';
import { LOCKING_STATES } from './plan-states.js';

export type Outcome<T = PlanRecord> = { ok: true; value: T } | { ok: false; refusal: string; code: 'bad-input' | 'not-found' | 'refused' };

export interface PlanOperationsOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  conductor: Conductor;
  approval: ApprovalPolicy;
  now?: () => Date;
}

export const MAX_GOAL_CHARS = 4000;

/**
 * What a surface (CLI, Slack) may do to plans. Each returns a refusal for the person
 * rather than throwing, and changes nothing when it refuses.
 */
export class PlanOperations {
  private readonly o: PlanOperationsOptions;
  private readonly now: () => Date;

  constructor(options: PlanOperationsOptions) {
    this.o = options;
    this.now = options.now ?? (() => new Date());
  }

  async submitGoal(goal: Omit<GoalStatement, 'text'> & { text: string }, producer: string): Promise<Outcome> {
    // A secret pasted into a goal must not travel on: it would land in artifacts and threads.
    const text = redactText(goal.text.trim());
    if (!text) return { ok: false, code: 'bad-input', refusal: 'the goal is empty: say what you want, e.g. "private Ollama on spot g4dn.xlarge, budget $300/month"' };
    if (text.length > MAX_GOAL_CHARS) {
      return { ok: false, code: 'bad-input', refusal: `the goal is ${text.length} characters long; the limit is ${MAX_GOAL_CHARS}` };
    }
    const payload = { ...goal, text };
    const checked = checkPayload('GoalStatement', payload, 'goal');
    if (!checked.ok) return { ok: false, code: 'bad-input', refusal: checked.reason };
    const id = newPlanId();
    const plan = await this.o.plans.create({
      id,
      goal: text,
      requestedBy: goal.requestedBy,
      ...(goal.target ? { target: goal.target } : {}),
      ...(goal.budgetUsd !== undefined ? { budgetUsd: goal.budgetUsd } : {}),
      ...(goal.channel ? { channel: goal.channel } : {}),
      ...(goal.stack ? { stack: goal.stack } : {}),
    });
    await this.o.bus.publish('goal.submitted', makeArtifact('GoalStatement', id, checked.value, { producer, cause: `goal:${id}` }));
    return { ok: true, value: plan };
  }

  async find(planId: string): Promise<Outcome> {
    if (!/^[a-z0-9-]{4,64}$/.test(planId)) return { ok: false, code: 'bad-input', refusal: `"${planId.slice(0, 80)}" is not a plan id (they look like p-7fk2q9xa)` };
    const plan = await this.o.plans.get(planId);
    return plan ? { ok: true, value: plan } : { ok: false, code: 'not-found', refusal: `no plan with id ${planId}` };
  }

  /** Checks an approval or rejection now (so the person hears why not), then hands it to the Conductor. */
  async decide(planId: string, decision: 'approve' | 'reject', by: string, producer: string, reason?: string): Promise<Outcome> {
    const found = await this.find(planId);
    if (!found.ok) return found;
    const plan = found.value;
    const sha = plan.planSha256 ?? '0'.repeat(64);
    const check = checkApproval(plan, { decision, by, planSha256: sha, now: this.now() }, this.o.approval);
    if (!check.ok) {
      if (plan.state === 'WAIT_FOR_APPROVE') await this.o.plans.audit(plan.id, { by, action: decision, refusal: check.refusal });
      if (check.expired) await this.o.conductor.expire(plan.id);
      return { ok: false, code: 'refused', refusal: check.refusal };
    }
    await this.o.bus.publish(
      'approval.decision',
      makeArtifact('ApprovalDecision', plan.id, { decision, by, planSha256: sha, ...(reason ? { reason } : {}) }, { producer, cause: randomArtifactId() }),
    );
    return { ok: true, value: plan };
  }

  async requestRollback(planId: string, by: string, reason = 'rollback requested'): Promise<Outcome> {
    const found = await this.find(planId);
    if (!found.ok) return found;
    const plan = found.value;
    if (plan.state !== 'DONE' || !plan.stack) {
      return { ok: false, code: 'refused', refusal: `plan ${plan.id} is ${plan.state}: only an applied plan (DONE) can be rolled back` };
    }
    const current = await this.o.stacks.currentPlanId(plan.stack);
    if (current && current !== plan.id) {
      return { ok: false, code: 'refused', refusal: `stack ${plan.stack} has moved on to plan ${current}; roll that one back first` };
    }
    const lock = await this.o.lock.acquire(plan.stack, plan.id, async (h) => {
      const p = await this.o.plans.get(h);
      return !p || !LOCKING_STATES.has(p.state);
    });
    if (!lock.ok) return { ok: false, code: 'refused', refusal: `stack ${plan.stack} is locked by plan ${lock.holder}; try again when it finishes` };
    const r = await this.o.conductor.startRollback(plan, 'ROLLBACK_REQUESTED', by, reason);
    if (r.status !== 'moved') {
      await this.o.lock.release(plan.stack, plan.id);
      return { ok: false, code: 'refused', refusal: r.status === 'refused' ? r.refusal : `no plan with id ${planId}` };
    }
    return { ok: true, value: r.plan };
  }

  /** Admin: frees a stack whose lock is held, cancelling the holder if it has not been applied. */
  async unlock(stack: string, by: string): Promise<Outcome<{ holder?: string }>> {
    const holder = await this.o.lock.holder(stack);
    if (!holder) return { ok: true, value: {} };
    const plan = await this.o.plans.get(holder);
    if (plan && LOCKING_STATES.has(plan.state)) {
      const r = await this.o.conductor.advance(plan.id, 'CANCEL', by, `stack ${stack} unlocked by ${by}`);
      if (r.status === 'refused') return { ok: false, code: 'refused', refusal: `plan ${holder} is ${r.state} and cannot be cancelled now` };
    }
    // Only the lock judged above: a queued plan promoted meanwhile keeps the one it took.
    await this.o.lock.release(stack, holder);
    return { ok: true, value: { holder } };
  }

  /** Moves plans whose approval window has closed to EXPIRED. */
  async sweepExpired(): Promise<string[]> {
    const expired: string[] = [];
    for (const p of await this.o.plans.active()) {
      if (p.state === 'WAIT_FOR_APPROVE' && p.expiresAt && Date.parse(p.expiresAt) < this.now().getTime()) {
        await this.o.conductor.expire(p.id);
        expired.push(p.id);
      }
    }
    return expired;
  }
}
