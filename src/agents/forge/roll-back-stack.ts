import type { PlanSpec } from '../../../contracts/index.js';
import { makeArtifact } from '../../bus/artifact-bus.js';
import type { ArtifactOn } from '../../bus/topic-map.js';
import { applySavedPlan } from './apply-saved-plan.js';
import type { BuiltPlan } from './change-runner.js';
import { explainFailure, tail } from './explain-failure.js';
import { FORGE, type ForgeContext } from './forge-context.js';
import { StackWorkspace } from './stack-workspace.js';

/** A rollback request: re-plan the stack's earlier version (destroy for a first create) and apply it. */
export async function rollBackStack(f: ForgeContext, a: ArtifactOn<'rollback.request'>): Promise<void> {
  const req = a.payload;
  const startedAt = f.now().toISOString();
  const ws = new StackWorkspace(f.options.dataDir, req.stack);
  const finish = (result: 'ROLLED_BACK' | 'ROLLBACK_FAILED', detail?: string) =>
    f.options.bus.publish(
      'rollback.result',
      makeArtifact(
        'RollbackResult',
        a.planId,
        { result, startedAt, finishedAt: f.now().toISOString(), ...(detail ? { detail } : {}) },
        { producer: FORGE, cause: a },
      ),
    );
  try {
    let spec: PlanSpec | undefined;
    let destroy = false;
    if (req.toVersion > 0) {
      spec = (await f.options.stacks.version(req.stack, req.toVersion))?.spec ?? undefined;
    } else {
      spec = (await f.options.plans.get(a.planId))?.spec;
      destroy = true;
    }
    if (!spec) {
      await finish('ROLLBACK_FAILED', `version ${req.toVersion} of ${req.stack} is not recorded`);
      return;
    }
    const runner = f.runnerFor(spec);
    const built: BuiltPlan = await runner.plan(spec, ws, { name: `${a.planId}-rollback`, planId: a.planId, destroy });
    const outcome = built.changes
      ? await applySavedPlan(runner, spec, ws, built.planFile.path)
      : { applied: true as const };
    if (!('applied' in outcome)) {
      await finish('ROLLBACK_FAILED', tail(outcome.detail));
      return;
    }
    await finish('ROLLED_BACK', destroy ? 'destroyed' : `restored version ${req.toVersion}`);
  } catch (err) {
    await finish('ROLLBACK_FAILED', explainFailure(err));
  }
}
