import { CrewError } from '../errors.js';
import {
  isScheduleBaseline,
  localScheduleBaselines,
  type ScheduleBaselines,
} from '../agents/finpilot/schedule-plan-file.js';
import type { ScheduleBaselineStore } from '../store/schedule-baseline-store.js';

/**
 * Baselines every host of the crew shares. A baseline a single-machine crew wrote into the
 * stack's workspace before it shared them is still read (and cleared) there.
 */
export function sharedScheduleBaselines(store: ScheduleBaselineStore): ScheduleBaselines {
  return {
    async read(ws, asgName) {
      const text = await store.read(ws.stack, asgName);
      if (text === undefined) return localScheduleBaselines.read(ws, asgName);
      const v: unknown = JSON.parse(text);
      if (!isScheduleBaseline(v))
        throw new CrewError('CREW_ERR_PLAN_JSON', `the schedule baseline of ${ws.stack}/${asgName} is malformed`);
      return v.actions;
    },
    async record(ws, asgName, actions) {
      // An older local baseline is the first apply's: it wins over what a later apply observes.
      const actionsToKeep = (await localScheduleBaselines.read(ws, asgName)) ?? actions;
      await store.recordOnce(ws.stack, asgName, JSON.stringify({ asgName, actions: actionsToKeep }));
    },
    async clear(ws, asgName) {
      await store.clear(ws.stack, asgName);
      await localScheduleBaselines.clear(ws, asgName);
    },
  };
}
