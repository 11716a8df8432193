import { makeArtifact } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { AdvanceResult } from '../store/plan-store.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';

// Rollback SLA from the seed: begin within 5 minutes, finish within 15.
export const ROLLBACK_BEGIN_SLA_MS = 5 * 60_000;
export const ROLLBACK_FINISH_SLA_MS = 15 * 60_000;

/** Moves the plan into ROLLBACK and asks Forge to restore the stack's previous version. */
export async function startRollback(
  c: ConductorContext,
  plan: PlanRecord,
  event: 'APPLY_FAILED' | 'ROLLBACK_REQUESTED',
  by: string,
  reason: string,
): Promise<AdvanceResult> {
  const rollback = { by, toVersion: plan.baseVersion ?? 0, requestedAt: c.now().toISOString(), reason };
  const r = await c.advance(plan.id, event, by, reason, {
    rollback,
    ...(event === 'APPLY_FAILED' ? { failure: reason } : {}),
  });
  const current = r.status === 'moved' || r.status === 'refused' ? r.plan : undefined;
  if (current?.state === 'ROLLBACK') await dispatchRollback(c, current);
  return r;
}

/** Publishes the plan's RollbackRequest; its id derives from the request time, so a repeat is the same artifact. */
export async function dispatchRollback(c: ConductorContext, plan: PlanRecord): Promise<void> {
  if (!plan.stack) return;
  // A plan that entered ROLLBACK without a record (e.g. a dead letter mid-apply) still gets one.
  const rb = plan.rollback ?? {
    by: 'crew',
    toVersion: plan.baseVersion ?? 0,
    requestedAt: c.now().toISOString(),
    reason: plan.failure ?? 'rollback after a failure',
  };
  if (!plan.rollback) await c.options.plans.patch(plan.id, { rollback: rb });
  if (rb.dispatched) return;
  const payload = {
    stack: plan.stack,
    toVersion: rb.toVersion,
    by: rb.by,
    ...(rb.reason ? { reason: rb.reason } : {}),
  };
  await c.options.bus.publish(
    'rollback.request',
    makeArtifact('RollbackRequest', plan.id, payload, {
      producer: CONDUCTOR,
      cause: `rollback:${plan.id}:${rb.requestedAt}`,
    }),
  );
  await c.options.plans.patch(plan.id, { rollback: { ...rb, dispatched: true } });
}

/** Forge's rollback outcome, timed against the SLA; a failed rollback needs a human. */
export async function onRollbackResult(c: ConductorContext, a: ArtifactOn<'rollback.result'>): Promise<void> {
  const plan = await c.planOf(a);
  if (!plan || !plan.stack || !plan.rollback) return;
  const { result, startedAt, finishedAt, detail } = a.payload;
  const requested = Date.parse(plan.rollback.requestedAt);
  const slaBreached =
    Date.parse(startedAt) - requested > ROLLBACK_BEGIN_SLA_MS ||
    Date.parse(finishedAt) - requested > ROLLBACK_FINISH_SLA_MS;
  const rollback = { ...plan.rollback, startedAt, finishedAt, slaBreached };
  if (slaBreached) {
    await c.options.bus.publish(
      'ops.event',
      makeArtifact(
        'OpsEvent',
        plan.id,
        {
          kind: 'sla_breach',
          stack: plan.stack,
          detail: `rollback of ${plan.id} began ${startedAt}, finished ${finishedAt} (SLA: begin < 5 min, finish < 15 min)`,
        },
        { producer: CONDUCTOR, cause: a },
      ),
    );
  }
  if (result === 'ROLLED_BACK') {
    const to = plan.rollback.toVersion;
    const target = await c.options.stacks.version(plan.stack, to);
    await c.options.stacks.setCurrent(plan.stack, to, target?.planId ?? '');
    await c.advance(
      plan.id,
      'ROLLBACK_DONE',
      'forge',
      to === 0 ? `stack ${plan.stack} destroyed (it was new)` : `stack ${plan.stack} restored to version ${to}`,
      { rollback },
    );
    return;
  }
  await c.advance(
    plan.id,
    'ROLLBACK_FAILED',
    'forge',
    `rollback failed: ${(detail ?? '').slice(0, 300)} — a human must check stack ${plan.stack}`,
    { rollback, failure: detail },
  );
  await c.options.bus.publish(
    'ops.event',
    makeArtifact(
      'OpsEvent',
      plan.id,
      {
        kind: 'escalation',
        stack: plan.stack,
        detail: `rollback of ${plan.id} failed; stack ${plan.stack} needs a human`,
      },
      { producer: CONDUCTOR, cause: a, salt: 'escalation' },
    ),
  );
}
