import { makeArtifact, type ArtifactBus } from '../../bus/artifact-bus.js';
import { CREW_EVENT_PLAN_ID } from '../../conductor/watch-crew.js';
import { newPlanId } from '../../util/new-id.js';
import { checkStackDrift, type DriftCheckOptions } from './drift-check-stack.js';
import { renderStackDrift } from './drift-render-text.js';
import type { DriftRunResult, StackDriftResult } from '../../store/drift-types.js';

export interface DriftRunOptions extends DriftCheckOptions {
  bus: ArtifactBus;
}

export type DriftRunOutcome = { ok: true; run: DriftRunResult } | { ok: false; refusal: string };

/**
 * Checks every applied stack (or one), one stack at a time, and publishes one OpsEvent
 * (kind `drift`) per stack with what it found, a clean stack included.
 */
export async function runDriftChecks(
  o: DriftRunOptions,
  trigger: DriftRunResult['trigger'],
  only?: string,
): Promise<DriftRunOutcome> {
  const now = o.now ?? (() => new Date());
  const all = await o.stacks.stacks();
  if (only !== undefined && !all.includes(only))
    return {
      ok: false,
      refusal: `no applied stack named ${JSON.stringify(only)}; applied stacks: ${all.join(', ') || 'none'}`,
    };
  const runId = newPlanId().replace(/^p-/, 'd-');
  const startedAt = now().toISOString();
  const results: StackDriftResult[] = [];
  for (const stack of only !== undefined ? [only] : all) {
    const r = await checkStackDrift(o, stack, runId);
    // A destroyed stack stays in the index; it is not worth a line in an unnamed run.
    if (only === undefined && r.status === 'skipped' && !r.planId) continue;
    results.push(r);
    await o.bus.publish(
      'ops.event',
      makeArtifact(
        'OpsEvent',
        CREW_EVENT_PLAN_ID,
        { kind: 'drift', stack, agent: 'forge', detail: renderStackDrift(r).join('\n').slice(0, 4000) },
        { producer: 'forge', cause: `drift:${runId}:${stack}` },
      ),
    );
  }
  return { ok: true, run: { runId, startedAt, finishedAt: now().toISOString(), trigger, stacks: results } };
}
