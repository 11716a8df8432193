import type { PlanSpec } from '../../../contracts/index.js';
import { AppliedMarkerStore } from '../../store/applied-marker-store.js';
import { applyPlan } from './apply-plan.js';
import { buildPlan } from './build-plan.js';
import type { ChangeRunner } from './change-runner.js';
import { FORGE, type ForgeAgentOptions, type ForgeContext } from './forge-context.js';
import { rollBackStack } from './roll-back-stack.js';

export type { ForgeAgentOptions } from './forge-context.js';

/** Forge on the bus: builds plans, applies exactly the approved plan file, rolls back. */
export function registerForge(o: ForgeAgentOptions): void {
  const now = o.now ?? (() => new Date());
  const f: ForgeContext = {
    options: o,
    now,
    marker: new AppliedMarkerStore({ redis: o.redis, prefix: o.prefix ?? 'crew' }),
    artifacts: o.artifacts,
    runnerFor: (spec: PlanSpec): ChangeRunner => {
      const r = o.runners[spec.blueprint];
      if (!r) throw new Error(`blueprint ${spec.blueprint} cannot be built here yet`);
      return r;
    },
  };
  o.bus.consume('build.request', FORGE, (a) => buildPlan(f, a));
  o.bus.consume('apply.request', FORGE, (a) => applyPlan(f, a));
  o.bus.consume('rollback.request', FORGE, (a) => rollBackStack(f, a));
}
