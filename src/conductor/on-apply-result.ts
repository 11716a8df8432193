import { makeArtifact } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';

/** Forge's apply outcome: done, stale (re-plan), refused or in doubt (FAILED, no rollback), or failed (roll back). */
export async function onApplyResult(c: ConductorContext, a: ArtifactOn<'apply.result'>): Promise<void> {
  const plan = await c.planOf(a);
  if (!plan || !plan.stack) return;
  const { result, detail, outputs } = a.payload;
  if (result === 'APPLY_DONE') {
    const version = await c.options.stacks.recordApplied(plan.stack, {
      planId: plan.id,
      spec: plan.spec ?? null,
      monthlyUsd: plan.validation?.cost.monthlyUsd ?? 0,
      appliedAt: c.now().toISOString(),
    });
    await c.advance(
      plan.id,
      'APPLY_DONE',
      'forge',
      `applied as version ${version} of ${plan.stack}`,
      { version, outputs },
      plan,
    );
    return;
  }
  if (result === 'APPLY_STALE') {
    // The re-plan starts from the stack as it is now: that is what a rollback must restore.
    const baseVersion = await c.options.stacks.currentVersion(plan.stack);
    const r = await c.advance(
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
      await c.options.bus.publish(
        'build.request',
        makeArtifact('PlanSpec', plan.id, plan.spec, { producer: CONDUCTOR, cause: a }),
      );
    }
    return;
  }
  if (result === 'APPLY_REFUSED') {
    // Nothing was applied: the stack is as it was, so there is nothing to roll back.
    await c.advance(
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
    const r = await c.advance(plan.id, 'APPLY_IN_DOUBT', 'forge', reason, { failure: detail });
    if (r.status === 'moved' || (r.status === 'refused' && r.state === 'FAILED')) {
      const note = {
        kind: 'escalation' as const,
        stack: plan.stack,
        detail: `apply of ${plan.id} may still be in flight; stack ${plan.stack} needs a human`,
      };
      await c.options.bus.publish(
        'ops.event',
        makeArtifact('OpsEvent', plan.id, note, { producer: CONDUCTOR, cause: a, salt: 'escalation' }),
      );
    }
    return;
  }
  await c.startRollback(plan, 'APPLY_FAILED', 'forge', `apply failed: ${(detail ?? '').slice(0, 300)}`);
}
