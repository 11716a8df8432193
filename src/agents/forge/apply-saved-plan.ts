import type { PlanSpec } from '../../../contracts/index.js';
import { ApplyInDoubtError, StalePlanError, type ApplyOptions, type ChangeRunner } from './change-runner.js';
import type { StackWorkspace } from './stack-workspace.js';

/**
 * What applying a saved plan file came to. Stale and in-doubt are outcomes the Conductor acts
 * on (re-plan; page a human), not failures to retry: only an operational failure of the apply
 * itself is thrown.
 */
export type ApplyOutcome =
  /** Applied; with the stack's outputs when the apply printed them. */
  | { applied: true; outputs?: Record<string, unknown> }
  /** Reality moved since the plan was made: nothing was applied. */
  | { stale: true; detail: string }
  /** An earlier apply may still be running after the wait: nobody knows the stack's state. */
  | { inDoubt: true; detail: string };

/** Applies exactly the saved plan file and says how it went. */
export async function applySavedPlan(
  runner: ChangeRunner,
  spec: PlanSpec,
  ws: StackWorkspace,
  planFile: string,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  try {
    const applied = await runner.apply(spec, ws, planFile, options);
    return applied?.outputs ? { applied: true, outputs: applied.outputs } : { applied: true };
  } catch (err) {
    // The runners signal these two from deep inside their wait loops; here they become results.
    if (err instanceof StalePlanError) return { stale: true, detail: err.message };
    if (err instanceof ApplyInDoubtError) return { inDoubt: true, detail: err.message };
    throw err;
  }
}
