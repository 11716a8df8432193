import { makeArtifact } from '../bus/artifact-bus.js';
import type { ArtifactOn } from '../bus/topic-map.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { CONDUCTOR, type ConductorContext } from './conductor-context.js';

/** Atlas's answer to a goal: a PlanSpec (admitted to its stack or queued behind the holder), or DesignBlocked. */
export async function onPlanPending(c: ConductorContext, a: ArtifactOn<'plan.pending'>): Promise<void> {
  const plan = await c.planOf(a);
  if (!plan) return;
  if (a.type === 'DesignBlocked') {
    if (plan.state !== 'DRAFTING') return;
    const attempts = await c.options.plans.countBlocked(plan.requestedBy);
    const rationale = [...a.payload.rationale];
    const { approvers } = await c.options.access.current();
    if (attempts >= 2) {
      rationale.push(
        `escalated: ${attempts} attempts in a row were blocked; ${approvers.length ? `approvers ${approvers.join(', ')} were asked` : 'the approvers were asked'} to help shape this change`,
      );
    }
    await c.advance(plan.id, 'DESIGN_BLOCKED', 'atlas', a.payload.reason, {
      blocked: { reason: a.payload.reason, rationale },
    });
    if (attempts >= 2) {
      const detail = `${plan.requestedBy}'s goal was blocked ${attempts} times in a row (latest: ${a.payload.reason}); approvers: ${approvers.join(', ') || '(any)'}`;
      await c.options.bus.publish(
        'ops.event',
        makeArtifact(
          'OpsEvent',
          plan.id,
          { kind: 'escalation', detail: detail.slice(0, 4000) },
          { producer: CONDUCTOR, cause: a, salt: 'escalation' },
        ),
      );
    }
    return;
  }
  if (plan.state === 'DRAFTING') await c.options.plans.countBlocked(plan.requestedBy, true);
  const spec = a.payload;
  let current: PlanRecord = plan;
  if (plan.state === 'DRAFTING') {
    // Drafted again at its turn (see Conductor.redraft) for another stack than the one it holds
    // (a language model read the goal differently): that stack is freed for the next in line.
    if (plan.stack && plan.stack !== spec.stack && (await c.options.lock.release(plan.stack, plan.id)))
      await c.options.scheduler.promoteNext(plan.stack);
    const admission = await c.options.scheduler.admit(plan.id, spec.stack);
    // The version Atlas drafted against (a crew whose Atlas does not say: the version now).
    const drafted = spec.baseVersion ?? admission.baseVersion;
    if (!admission.admitted) {
      const holder = await c.options.plans.get(admission.holder);
      const reason = `queued behind plan ${admission.holder}${holder ? ` (${holder.state}, requested by ${holder.requestedBy})` : ''} for stack ${spec.stack}; it starts when that plan finishes`;
      const r = await c.advance(
        plan.id,
        'PLAN_SPEC',
        'atlas',
        reason,
        // The version it was drafted against: promoted after the stack moved, it is drafted again.
        { spec, stack: spec.stack, queuedBehind: admission.holder, baseVersion: drafted },
        plan,
      );
      // The holder may have finished between the queueing and now.
      if (r.status === 'moved') await c.options.scheduler.promoteNext(spec.stack);
      return;
    }
    // The stack moved between Atlas's read and this admission (the holder's apply ended
    // meanwhile): built, the spec would undo that change. The plan keeps the stack and its goal is
    // read again.
    if (drafted !== admission.baseVersion) {
      await c.readAgain(
        plan,
        admission.baseVersion,
        `stack ${spec.stack} moved from version ${drafted} to ${admission.baseVersion} while Atlas drafted this plan; its goal is read again against version ${admission.baseVersion}`,
      );
      return;
    }
    const r = await c.advance(
      plan.id,
      'PLAN_SPEC',
      'atlas',
      `${spec.blueprint} for stack ${spec.stack} (parsed by ${spec.parsedBy})`,
      {
        spec,
        stack: spec.stack,
        baseVersion: admission.baseVersion,
      },
      plan,
    );
    if (r.status === 'missing') return;
    current = r.plan;
  }
  // Also on redelivery after a crash between the transition and this publish.
  if (current.state === 'PENDING' && current.queuedBehind === undefined)
    await c.options.scheduler.publishBuild(plan.id, spec);
}
