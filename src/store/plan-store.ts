import type { Redis } from 'ioredis';
import { transition } from '../plan/transition.js';
import { isOpen, LOCKING_STATES, PLAN_STATES, type PlanEvent, type PlanState } from '../plan/plan-states.js';
import type { PlanRecord, Transition } from '../plan/plan-record.js';
import {
  activePlansKey,
  stackHoldersKey,
  blockedCountKey,
  planAuditKey,
  planApprovalsKey,
  planResentKey,
  planDecisionsKey,
  planPolicyKey,
  planHistoryKey,
  planIndexKey,
  planChangedChannel,
  planKey,
} from '../redis/keys.js';
import { CREATE_PLAN, INDEX_PLAN, MOVE_PLAN } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';
import { SharedSubscriber } from '../redis/shared-subscriber.js';
import { NO_AUDIT_SINK, type AuditSink } from './audit-sink.js';
import { currentSurface } from './audit-surface.js';
import { decodeRecord, encodeFields } from './plan-record-codec.js';
import { readStackHolders, type StackHolder } from './stack-holders.js';
import { readOpenPlans, type OpenPlan } from './open-plans.js';
import { readIndexed } from './read-indexed.js';

/** One decision of the crew's policy engine on a plan, as the plan's audit keeps it. */
export interface PolicyDecisionRow {
  at: string;
  by: string;
  action: string;
  decision: 'allow' | 'deny';
  engine: 'cedar' | 'opa';
  /** `built-in`, the Cedar policy file, or the OPA URL. */
  source: string;
  policies: string[];
  refusal?: string;
  errors?: string[];
  surface?: string;
}

export type AdvanceResult =
  | { status: 'moved'; from: PlanState; to: PlanState; plan: PlanRecord }
  | { status: 'refused'; state: PlanState; refusal: string; plan: PlanRecord }
  | { status: 'missing' };

/** What the Conductor made of one decision: accepted (with the quorum it counted toward), or refused and why. */
export type DecisionOutcome = { by: string; decision: 'approve' | 'reject'; planSha256: string } & (
  { accepted: true; quorum?: { have: number; need: number } } | { accepted: false; refusal: string }
);

/** One person's approval of one plan file. */
export interface Approval {
  by: string;
  at: string;
  planSha256: string;
  decisionId: string;
}

export interface PlanStoreOptions {
  redis: Redis;
  prefix?: string;
  now?: () => Date;
  /** Told every transition, refusal and decision once it is stored (PostgreSQL's audit trail). */
  audit?: AuditSink;
  /** The connection watchers of plans share (default: one of this store's, closed when nobody watches). */
  subscriber?: SharedSubscriber;
}

const KNOWN_STATES: ReadonlySet<string> = new Set(PLAN_STATES);

export class PlanStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly sink: AuditSink;
  private readonly subscriber: SharedSubscriber;

  constructor(options: PlanStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
    this.now = options.now ?? (() => new Date());
    this.sink = options.audit ?? NO_AUDIT_SINK;
    this.subscriber = options.subscriber ?? new SharedSubscriber(options.redis);
  }

  /**
   * Creates a plan in DRAFTING and returns it; throws if the id exists already. The record is
   * written whole in one atomic step (never half a plan, never one id twice); then the plan is
   * listed in the indexes, one step of their own: they live in another cluster slot (`{index}`).
   */
  async create(plan: Omit<PlanRecord, 'state' | 'createdAt' | 'updatedAt'>): Promise<PlanRecord> {
    const at = this.now().toISOString();
    const record: PlanRecord = { ...plan, state: 'DRAFTING', createdAt: at, updatedAt: at };
    const created = await runScript(this.redis, CREATE_PLAN, [planKey(this.prefix, plan.id)], encodeFields(record));
    if (Number(created) !== 1) throw new Error(`plan ${plan.id} exists already`);
    await runScript(
      this.redis,
      INDEX_PLAN,
      [planIndexKey(this.prefix), activePlansKey(this.prefix)],
      [Date.parse(at), plan.id],
    );
    return record;
  }

  async get(planId: string): Promise<PlanRecord | undefined> {
    return decodeRecord(await this.redis.hgetall(planKey(this.prefix, planId)));
  }

  /** The plan's state alone (undefined: no such plan): what a waiter reads on each change. */
  async state(planId: string): Promise<PlanState | undefined> {
    return ((await this.redis.hget(planKey(this.prefix, planId), 'state')) ?? undefined) as PlanState | undefined;
  }

  /** Merges fields into the record without changing its state. */
  async patch(planId: string, patch: Partial<Omit<PlanRecord, 'state' | 'id'>>): Promise<void> {
    const fields = encodeFields({ ...patch, updatedAt: this.now().toISOString() });
    await this.redis.hset(planKey(this.prefix, planId), ...fields);
    this.notify(planId);
  }

  /**
   * Whether a sweep may re-send `what` for this plan now: true for one caller per `everyMs`
   * across every crew process (SET NX PX), so sweeps never flood a stream with copies of a
   * request that is only waiting its turn.
   */
  async claimResend(planId: string, what: 'build' | 'goal', everyMs: number): Promise<boolean> {
    return (await this.redis.set(planResentKey(this.prefix, planId, what), '1', 'PX', everyMs, 'NX')) === 'OK';
  }

  async clearField(planId: string, field: keyof PlanRecord): Promise<void> {
    await this.redis.hdel(planKey(this.prefix, planId), field);
    this.notify(planId);
  }

  /**
   * Calls `onChange` each time the plan moves or its record changes (a hint: read the plan to
   * see how), with the state it moved to when it moved. Watchers share one subscriber
   * connection. Resolves once subscribed, with a stop.
   */
  watch(planId: string, onChange: (movedTo?: PlanState) => void): Promise<() => Promise<void>> {
    return this.subscriber.watch(planChangedChannel(this.prefix, planId), (message) =>
      onChange(KNOWN_STATES.has(message) ? (message as PlanState) : undefined),
    );
  }

  /**
   * Tells watchers the record changed without a move ('1'); fire and forget (a watcher also
   * re-reads on its own, rarely). A move is announced, with its state, by the move script itself.
   */
  private notify(planId: string): void {
    this.redis.publish(planChangedChannel(this.prefix, planId), '1').catch(() => undefined);
  }

  /**
   * Applies an event through the pure transition table and stores the result by
   * compare-and-set. Concurrent writers retry against the state they lost to.
   *
   * `seen` is the record as the caller has just read it: the first attempt starts from it
   * instead of reading it again. The compare-and-set still checks its state, and a state that
   * moved meanwhile (lost race, or an event it refuses) is read again before anything is decided.
   */
  async advance(
    planId: string,
    event: PlanEvent,
    by: string,
    reason: string,
    patch: Partial<Omit<PlanRecord, 'state' | 'id'>> = {},
    seen?: PlanRecord,
  ): Promise<AdvanceResult> {
    let known = seen?.id === planId ? seen : undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = known ?? (await this.get(planId));
      if (!plan) return { status: 'missing' };
      const t = transition(plan.state, event);
      if (!t.ok && known) {
        known = undefined; // judged on what the caller saw: read the plan as it is now
        continue;
      }
      known = undefined;
      if (!t.ok) return { status: 'refused', state: plan.state, refusal: t.refusal, plan };
      const at = this.now().toISOString();
      const surface = currentSurface();
      const entry: Transition = { from: plan.state, to: t.to, event, at, by, reason, surface };
      const keys = [planKey(this.prefix, planId), planHistoryKey(this.prefix, planId)];
      // A plan that opens again (a rollback of a DONE plan) is listed before it moves, so a crash
      // right after the move cannot leave it out of the sweeps.
      const reopens = !isOpen(plan.state) && isOpen(t.to);
      // Likewise a plan entering a state in which it holds its stack is listed among the stack's
      // holders before it moves: the stack lock finds it there when its lease has lapsed.
      const stack = patch.stack ?? plan.stack;
      const holds = stack !== undefined && LOCKING_STATES.has(t.to) && !LOCKING_STATES.has(plan.state);
      if (reopens || holds)
        await Promise.all([
          reopens ? this.redis.sadd(activePlansKey(this.prefix), planId) : undefined,
          holds ? this.redis.sadd(stackHoldersKey(this.prefix, stack), planId) : undefined,
        ]);
      const r = await runScript(this.redis, MOVE_PLAN, keys, [
        plan.state,
        t.to,
        JSON.stringify(entry),
        at,
        ...encodeFields(patch),
      ]);
      // The script also told the plan's watchers of the move (move-plan-2.lua).
      if (typeof r !== 'number') continue; // lost the compare-and-set: try again from the state it lost to
      // Listed again after the move too: a sweep that read it still DONE may have just dropped it.
      const released = stack !== undefined && LOCKING_STATES.has(plan.state) && !LOCKING_STATES.has(t.to);
      await Promise.all([
        reopens ? this.redis.sadd(activePlansKey(this.prefix), planId) : undefined,
        !reopens && !isOpen(t.to) ? this.redis.srem(activePlansKey(this.prefix), planId) : undefined,
        released ? this.redis.srem(stackHoldersKey(this.prefix, stack), planId) : undefined,
      ]);
      const moved: PlanRecord = { ...plan, ...patch, state: t.to, updatedAt: at };
      await this.sink.append({
        planId,
        kind: 'transition',
        entryKey: `t${r}`,
        seq: r,
        from: plan.state,
        to: t.to,
        event,
        actor: by,
        surface,
        reason,
        at,
        ...auditContext(moved),
      });
      return { status: 'moved', from: plan.state, to: t.to, plan: moved };
    }
    throw new Error(`plan ${planId}: state kept changing under ${event}`);
  }

  async history(planId: string): Promise<Transition[]> {
    const rows = await this.redis.lrange(planHistoryKey(this.prefix, planId), 0, -1);
    return rows.map((r) => JSON.parse(r) as Transition);
  }

  /** Records a refusal (who tried what, and why not) without changing the plan. */
  async audit(planId: string, entry: { at?: string; by: string; action: string; refusal: string }): Promise<void> {
    const row = {
      at: entry.at ?? this.now().toISOString(),
      by: entry.by,
      action: entry.action,
      refusal: entry.refusal,
      surface: currentSurface(),
    };
    const seq = await this.redis.rpush(planAuditKey(this.prefix, planId), JSON.stringify(row));
    if (this.sink === NO_AUDIT_SINK) return;
    const plan = await this.get(planId);
    await this.sink.append({
      planId,
      kind: 'refusal',
      entryKey: `r${seq}`,
      seq,
      event: row.action,
      actor: row.by,
      surface: row.surface,
      reason: row.refusal,
      at: row.at,
      ...(plan ? auditContext(plan) : {}),
    });
  }

  /** Records one policy decision on a plan (allowed or denied, and the policies that decided). */
  async recordPolicyDecision(planId: string, entry: Omit<PolicyDecisionRow, 'at' | 'surface'>): Promise<void> {
    const row: PolicyDecisionRow = { at: this.now().toISOString(), ...entry };
    const surface = currentSurface();
    if (surface) row.surface = surface;
    await this.redis.rpush(planPolicyKey(this.prefix, planId), JSON.stringify(row));
  }

  async policyDecisions(planId: string): Promise<PolicyDecisionRow[]> {
    return (await this.redis.lrange(planPolicyKey(this.prefix, planId), 0, -1)).map((r) => JSON.parse(r));
  }

  async auditLog(
    planId: string,
  ): Promise<Array<{ at: string; by: string; action: string; refusal: string; surface?: string }>> {
    return (await this.redis.lrange(planAuditKey(this.prefix, planId), 0, -1)).map((r) => JSON.parse(r));
  }

  /** Records what became of one approval or rejection (by its decision id), for the person waiting on it. */
  async recordDecision(planId: string, decisionId: string, outcome: DecisionOutcome): Promise<void> {
    const row = { ...outcome, at: this.now().toISOString() };
    await this.redis.hset(planDecisionsKey(this.prefix, planId), decisionId, JSON.stringify(row));
    this.notify(planId);
    if (this.sink === NO_AUDIT_SINK) return;
    const plan = await this.get(planId);
    await this.sink.append({
      planId,
      kind: 'decision',
      entryKey: `d${decisionId}`,
      event: outcome.decision,
      actor: outcome.by,
      surface: currentSurface(),
      reason: outcome.accepted ? 'accepted' : outcome.refusal,
      at: row.at,
      ...(plan ? auditContext(plan) : {}),
      planSha256: outcome.planSha256,
    });
  }

  /**
   * Records an approval of one plan file; false when the same person (as identityKey spells
   * them) already approved that file: HSETNX, one atomic step, so two replicas cannot both count it.
   */
  async addApproval(planId: string, approval: Approval, personKey: string): Promise<boolean> {
    const field = `${approval.planSha256}:${personKey}`;
    return (await this.redis.hsetnx(planApprovalsKey(this.prefix, planId), field, JSON.stringify(approval))) === 1;
  }

  /** Forgets one person's approval of one plan file (it lost a race and did not count). */
  async removeApproval(planId: string, planSha256: string, personKey: string): Promise<void> {
    await this.redis.hdel(planApprovalsKey(this.prefix, planId), `${planSha256}:${personKey}`);
  }

  /** The approvals of one plan file (or of every file), oldest first. */
  async approvals(planId: string, planSha256?: string): Promise<Approval[]> {
    const rows = (await this.redis.hvals(planApprovalsKey(this.prefix, planId))).map((r) => JSON.parse(r) as Approval);
    return rows
      .filter((a) => planSha256 === undefined || a.planSha256 === planSha256)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async decisionOutcome(planId: string, decisionId: string): Promise<(DecisionOutcome & { at: string }) | undefined> {
    const row = await this.redis.hget(planDecisionsKey(this.prefix, planId), decisionId);
    return row ? (JSON.parse(row) as DecisionOutcome & { at: string }) : undefined;
  }

  /**
   * Counts a requester's consecutive DesignBlocked outcomes within an hour (the escalation
   * rule: after two failed attempts a human is asked to help). `reset` starts over.
   */
  async countBlocked(requester: string, reset = false): Promise<number> {
    const key = blockedCountKey(this.prefix, requester);
    if (reset) {
      await this.redis.del(key);
      return 0;
    }
    const [[, n]] = (await this.redis.multi().incr(key).pexpire(key, 3_600_000).exec()) as [
      [null, number],
      [null, number],
    ];
    return n;
  }

  /** The most recent plans, newest first. */
  async recent(limit = 20): Promise<PlanRecord[]> {
    const ids = await this.redis.zrevrange(planIndexKey(this.prefix), 0, limit - 1);
    const plans = await Promise.all(ids.map((id) => this.get(id)));
    return plans.filter((p): p is PlanRecord => p !== undefined);
  }

  /**
   * Open plans (neither DONE nor ended: see isOpen), for sweeps. The set is an index kept beside
   * the records (a plan's hash and the set live in different slots); a member found closed is
   * dropped when read. The records are asked for all at once (one round trip, not one per plan).
   */
  active(): Promise<PlanRecord[]> {
    return readIndexed(this.redis, activePlansKey(this.prefix), async (id) => {
      const p = await this.get(id);
      return p && isOpen(p.state) ? p : undefined;
    });
  }

  /** The open plans by state, stack and times only (what the sweep judges them by; see open-plans.ts). */
  openPlans(): Promise<OpenPlan[]> {
    return readOpenPlans(this.redis, this.prefix);
  }

  /**
   * The plans in a state in which they hold `stack`, read from the stack's own holder set: what
   * the stack lock asks each time it finds its key free (see stack-holders.ts).
   */
  activeOnStack(stack: string): Promise<StackHolder[]> {
    return readStackHolders(this.redis, this.prefix, stack);
  }
}

/** What an audit row says of its plan besides the entry itself. */
function auditContext(plan: PlanRecord): { stack?: string; planSha256?: string } {
  const stack = plan.stack ?? plan.spec?.stack;
  return {
    ...(stack ? { stack } : {}),
    ...(plan.planSha256 ? { planSha256: plan.planSha256 } : {}),
  };
}
