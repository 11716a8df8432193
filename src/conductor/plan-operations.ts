import type { GoalStatement } from '../../contracts/index.js';
import { checkPayload } from '../../contracts/validate-artifact.js';
import type { PlanStore } from '../store/plan-store.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { OpenPlan } from '../store/open-plans.js';
import type { StackLock } from '../store/stack-lock.js';
import type { StackStore } from '../store/stack-store.js';
import { newPlanId, randomArtifactId } from '../util/new-id.js';
import { redactText } from '../log/redact-text.js';
import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import type { AccessPolicySource } from '../access/access-policy.js';
import { identityKey, normalizeIdentity } from '../access/normalize-identity.js';
import { ok, refuse, type Ok, type Refusal, type Result } from '../errors.js';
import { checkApproval } from './check-approval.js';
import { checkStepUp } from './check-step-up.js';
import { alreadyApproved, hasApproved } from './count-approval.js';
import { findPlan } from './find-plan.js';
import { judgeAccess, policyDecisionRow } from './judge-access.js';
import { authorize } from '../access/authz/authorize.js';
import type { Conductor } from './conductor.js';
import { mayHoldStack } from '../plan/plan-states.js';
import { surfaceOfProducer, withSurface } from '../store/audit-surface.js';

/** What a surface's request to PlanOperations comes to: the value, or a refusal for the person. */
export type Outcome<T = PlanRecord> = Result<T, OperationRefusal['code']>;

/** The refusals PlanOperations gives. */
export type OperationRefusal = Refusal<'bad-input' | 'not-found' | 'refused'>;

export interface PlanOperationsOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  conductor: Conductor;
  /** The crew's access policy; every operation reads the rules in force when it runs. */
  access: AccessPolicySource;
  /** Claims a decision once (a double click, a repeated command); none: every decision goes through. */
  claims?: DecisionClaims;
  now?: () => Date;
}

/** SET NX PX by name: one person's decision on one plan file is taken once within a window. */
export interface DecisionClaims {
  claim(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
}

// Two clicks (or an Approve and a Reject) by one person within this window are one decision;
// the Conductor takes minutes at most to act on the first.
const DECISION_WINDOW_MS = 10 * 60_000;

export const MAX_GOAL_CHARS = 4000;

/** A decision handed to the Conductor: which plan file it binds to, and the id its outcome is recorded under. */
export interface Decision {
  plan: PlanRecord;
  decisionId: string;
  planSha256: string;
  /** true when the person named the plan file they reviewed (a button, `--sha`); false: the current file. */
  bound: boolean;
}

/**
 * A decision refused: `plan` is the plan as it is now (a surface shows it), `stale` says the
 * person decided on a plan file that is no longer the plan's.
 */
export type DecisionRefusal = OperationRefusal & {
  plan?: PlanRecord;
  stale?: boolean;
  /** The approval needs a confirmation naming `stack` (a surface may ask for it, e.g. a Slack modal). */
  stepUp?: { stack: string; why: string };
};

export type DecisionOutcome = Ok<Decision> | DecisionRefusal;

export interface DecideOptions {
  reason?: string;
  /** The sha256 (or a prefix of at least 7 hex digits) of the plan file the person reviewed. */
  sha?: string;
  /** The decision must name the plan file (the CLI under strict identity): without `sha` it is refused. */
  requireSha?: boolean;
  /** The stack name the approver typed: a risky plan (destructive, over the monthly threshold) needs it. */
  confirm?: string;
}

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

  /** `threadTs`: the plan continues a Slack thread (an answer to Atlas's question), its review goes there. */
  submitGoal(
    goal: Omit<GoalStatement, 'text'> & { text: string },
    producer: string,
    options: { threadTs?: string } = {},
  ): Promise<Outcome> {
    // What this records (the policy decision) names the surface the goal came through.
    return withSurface(surfaceOfProducer(producer), () => this.submit(goal, producer, options));
  }

  private async submit(
    goal: Omit<GoalStatement, 'text'> & { text: string },
    producer: string,
    options: { threadTs?: string },
  ): Promise<Outcome> {
    const who = normalizeIdentity(goal.requestedBy, 'requester');
    if (!who.ok) return who;
    // A secret pasted into a goal must not travel on: it would land in artifacts and threads.
    const text = redactText(goal.text.trim());
    if (!text)
      return refuse(
        'bad-input',
        'the goal is empty: say what you want, e.g. "private Ollama on spot g4dn.xlarge, budget $300/month"',
      );
    if (text.length > MAX_GOAL_CHARS)
      return refuse('bad-input', `the goal is ${text.length} characters long; the limit is ${MAX_GOAL_CHARS}`);
    const policy = await this.o.access.current();
    const verdict = await authorize(policy, {
      by: who.id,
      action: 'plan',
      ...(goal.stack ? { stack: goal.stack } : {}),
      ...(goal.target ? { target: goal.target } : {}),
    });
    if (!verdict.allowed) return refuse('refused', verdict.refusal ?? `${who.id} may not plan`);
    const payload = { ...goal, text, requestedBy: who.id };
    const checked = checkPayload('GoalStatement', payload, 'goal');
    if (!checked.ok) return refuse('bad-input', checked.reason);
    const id = newPlanId();
    const plan = await this.o.plans.create({
      id,
      goal: text,
      requestedBy: who.id,
      ...(goal.target ? { target: goal.target } : {}),
      ...(goal.budgetUsd !== undefined ? { budgetUsd: goal.budgetUsd } : {}),
      ...(goal.channel ? { channel: goal.channel } : {}),
      ...(goal.stack ? { stack: goal.stack } : {}),
      ...(goal.drift ? { drift: goal.drift } : {}),
      ...(options.threadTs && goal.channel ? { threadTs: options.threadTs } : {}),
    });
    await this.o.plans.recordPolicyDecision(id, policyDecisionRow(who.id, 'plan', verdict));
    await this.o.bus.publish(
      'goal.submitted',
      makeArtifact('GoalStatement', id, checked.value, { producer, cause: `goal:${id}` }),
    );
    return ok(plan);
  }

  find(planId: string): Promise<Outcome> {
    return findPlan(this.o.plans, planId);
  }

  /**
   * Checks an approval or rejection now (so the person hears why not), then hands it to the
   * Conductor, which checks it again and records the outcome under the returned decision id.
   * With `sha` the decision binds to the plan file the person reviewed; a re-planned file is refused.
   * The same person's repeated decision on one plan file (a double click) is taken once. Every
   * refusal on an existing plan is written to its audit, whichever surface asked.
   */
  decide(
    planId: string,
    decision: 'approve' | 'reject',
    byRaw: string,
    producer: string,
    options: DecideOptions = {},
  ): Promise<DecisionOutcome> {
    // Its refusals are audited under the surface that asked (the producer of the decision).
    return withSurface(surfaceOfProducer(producer), () => this.judge(planId, decision, byRaw, producer, options));
  }

  private async judge(
    planId: string,
    decision: 'approve' | 'reject',
    byRaw: string,
    producer: string,
    options: DecideOptions,
  ): Promise<DecisionOutcome> {
    const who = normalizeIdentity(byRaw, decision === 'approve' ? 'approver' : 'identity');
    if (!who.ok) return who;
    const by = who.id;
    const found = await this.find(planId);
    if (!found.ok) return found;
    const plan = found.value;
    const refused = async (
      refusal: string,
      code: OperationRefusal['code'] = 'refused',
      stale = false,
    ): Promise<DecisionRefusal> => {
      if (code === 'refused') await this.o.plans.audit(plan.id, { by, action: decision, refusal });
      return { ...refuse(code, refusal), plan, ...(stale ? { stale } : {}) };
    };
    if (options.sha !== undefined) {
      const wanted = options.sha.trim().toLowerCase();
      if (!/^[0-9a-f]{7,64}$/.test(wanted)) {
        return refused(
          `"${options.sha.slice(0, 80)}" is not a plan file sha256 (give at least its first 7 hex digits, as the review shows them)`,
          'bad-input',
        );
      }
      if (!plan.planSha256 || !plan.planSha256.startsWith(wanted)) {
        return refused(
          `you reviewed plan file sha256 ${wanted.slice(0, 12)}, but plan ${plan.id} is ${plan.state} with ${plan.planSha256 ? `plan file ${plan.planSha256.slice(0, 12)}` : 'no plan file'}: yours is an older plan file; review the current plan and decide again`,
          'refused',
          true,
        );
      }
    }
    const sha = plan.planSha256 ?? '0'.repeat(64);
    const policy = await this.o.access.current();
    const verdict = await judgeAccess(this.o.plans, policy, { by, action: decision, plan });
    const check = checkApproval(plan, { decision, by, planSha256: sha, now: this.now() }, policy, verdict);
    if (!check.ok) {
      const r = await refused(check.refusal);
      if (check.expired) await this.o.conductor.expire(plan.id);
      return r;
    }
    if (decision === 'approve') {
      const have = await hasApproved(this.o.plans, plan, by);
      if (have !== undefined) return refused(alreadyApproved(plan, by, have));
    }
    if (options.requireSha && options.sha === undefined && decision === 'approve') {
      return refused(
        `strict identity: name the plan file you reviewed (--sha <prefix>); plan ${plan.id}'s current plan file is sha256 ${sha.slice(0, 12)}`,
        'refused',
        true,
      );
    }
    if (decision === 'approve') {
      const stepUp = checkStepUp(plan, policy.quorum?.approvals, options.confirm);
      if (stepUp) return { ...(await refused(stepUp.refusal)), stepUp: { stack: stepUp.stack, why: stepUp.why } };
    }
    const claim = `decision:${plan.id}:${sha}:${identityKey(by)}`;
    if (this.o.claims && !(await this.o.claims.claim(claim, DECISION_WINDOW_MS)))
      return refused(`a decision on plan ${plan.id} is already being processed`);
    const artifact = makeArtifact(
      'ApprovalDecision',
      plan.id,
      { decision, by, planSha256: sha, ...(options.reason ? { reason: options.reason } : {}) },
      { producer, cause: randomArtifactId() },
    );
    try {
      await this.o.bus.publish('approval.decision', artifact);
    } catch (err) {
      await this.o.claims?.release(claim);
      throw err;
    }
    return ok({ plan, decisionId: artifact.id, planSha256: sha, bound: options.sha !== undefined });
  }

  /** Rollback changes infrastructure: only the plan's requester or an approver, on every surface. Refusals are audited. */
  async requestRollback(planId: string, byRaw: string, reason = 'rollback requested'): Promise<Outcome> {
    const who = normalizeIdentity(byRaw, 'identity');
    if (!who.ok) return who;
    const by = who.id;
    const found = await this.find(planId);
    if (!found.ok) return found;
    const plan = found.value;
    const refused = async (refusal: string): Promise<OperationRefusal> => {
      await this.o.plans.audit(plan.id, { by, action: 'rollback', refusal });
      return refuse('refused', refusal);
    };
    const verdict = await judgeAccess(this.o.plans, await this.o.access.current(), { by, action: 'rollback', plan });
    if (!verdict.allowed) return refused(verdict.refusal ?? `${by} may not roll back plan ${plan.id}`);
    if (plan.state !== 'DONE' || !plan.stack)
      return refused(`plan ${plan.id} is ${plan.state}: only an applied plan (DONE) can be rolled back`);
    const current = await this.o.stacks.currentPlanId(plan.stack);
    if (current && current !== plan.id)
      return refused(`stack ${plan.stack} has moved on to plan ${current}; roll that one back first`);
    const lock = await this.o.lock.acquire(plan.stack, plan.id, async (h) => {
      const p = await this.o.plans.get(h);
      return !p || !mayHoldStack(p.state);
    });
    // The lock names its holder; the person hears why, in words.
    if (!lock.ok) {
      const holder = await this.o.plans.get(lock.holder);
      const state = holder ? ` (${holder.state})` : '';
      const undo =
        holder?.state === 'WAIT_FOR_APPROVE'
          ? `reject it, or try again once it is decided`
          : `try again when it finishes (\`crew wait ${lock.holder}\` runs it to its end; an admin's \`crew unlock ${plan.stack}\` cancels it)`;
      return refused(`stack ${plan.stack} is locked by plan ${lock.holder}${state}: ${undo}`);
    }
    const r = await this.o.conductor.startRollback(plan, 'ROLLBACK_REQUESTED', by, reason);
    if (r.status !== 'moved') {
      await this.o.lock.release(plan.stack, plan.id);
      return refused(r.status === 'refused' ? r.refusal : `no plan with id ${planId}`);
    }
    return ok(r.plan);
  }

  /** Admin: frees a stack whose lock is held, cancelling the holder if it has not been applied. */
  async unlock(stack: string, byRaw: string): Promise<Outcome<{ holder?: string }>> {
    const who = normalizeIdentity(byRaw, 'identity');
    if (!who.ok) return who;
    const by = who.id;
    const held = await this.o.lock.holder(stack);
    const holderPlan = held ? await this.o.plans.get(held) : undefined;
    const verdict = await judgeAccess(this.o.plans, await this.o.access.current(), {
      by,
      action: 'unlock',
      stack,
      ...(holderPlan ? { plan: holderPlan } : {}),
    });
    if (!verdict.allowed) {
      const refusal = verdict.refusal ?? `${by} may not unlock stack ${stack}`;
      if (holderPlan) await this.o.plans.audit(holderPlan.id, { by, action: 'unlock', refusal });
      return refuse('refused', refusal);
    }
    const holder = held;
    if (!holder) return ok({});
    const plan = holderPlan;
    // A holder still DRAFTING (drafted again at its turn) is cancelled as well.
    if (plan && mayHoldStack(plan.state)) {
      const r = await this.o.conductor.advance(plan.id, 'CANCEL', by, `stack ${stack} unlocked by ${by}`);
      if (r.status === 'refused') return refuse('refused', `plan ${holder} is ${r.state} and cannot be cancelled now`);
    }
    // Only the lock judged above: a queued plan promoted meanwhile keeps the one it took.
    await this.o.lock.release(stack, holder);
    return ok({ holder });
  }

  /** Moves plans whose approval window has closed to EXPIRED. */
  async sweepExpired(active?: readonly OpenPlan[]): Promise<string[]> {
    const expired: string[] = [];
    for (const p of active ?? (await this.o.plans.openPlans())) {
      if (p.state === 'WAIT_FOR_APPROVE' && p.expiresAt && Date.parse(p.expiresAt) < this.now().getTime()) {
        await this.o.conductor.expire(p.id);
        expired.push(p.id);
      }
    }
    return expired;
  }
}
