import type { PlanSpec } from '../../../contracts/index.js';
import type { ApplyOptions, BuiltPlan, ChangeRunner, PlanRequest } from './change-runner.js';
import type { StackWorkspace } from './stack-workspace.js';

/**
 * A runner whose code (and SDK) loads on first use, so a CLI call that never touches this
 * blueprint does not pay for loading it.
 */
export function lazyChangeRunner(load: () => Promise<ChangeRunner>): ChangeRunner {
  let runner: Promise<ChangeRunner> | undefined;
  const get = () => (runner ??= load());
  return {
    plan: async (spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan> =>
      (await get()).plan(spec, ws, request),
    apply: async (spec: PlanSpec, ws: StackWorkspace, planFile: string, options?: ApplyOptions) =>
      (await get()).apply(spec, ws, planFile, options),
    outputs: async (spec: PlanSpec, ws: StackWorkspace) => (await get()).outputs(spec, ws),
  };
}
