import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrewError } from '../../errors.js';
import type { StackWorkspace } from '../forge/stack-workspace.js';
import type { ScheduledActionState } from './read-asg-state.js';

/** The saved plan: exactly what an approval covers and what apply executes. */
export interface SchedulePlanFile {
  kind: 'crew.asg-schedule-plan';
  version: 1;
  asgName: string;
  region: string;
  /** A rollback of a first-time create: restores the baseline recorded by the first apply. */
  destroy: boolean;
  /** Every action on the group when the plan was made, and its fingerprint. */
  observed: ScheduledActionState[];
  fingerprint: string;
  puts: ScheduledActionState[];
  deletes: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optNum = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v));
const optStr = (v: unknown) => v === undefined || typeof v === 'string';

function isAction(v: unknown): v is ScheduledActionState {
  return (
    isObj(v) &&
    typeof v.name === 'string' &&
    v.name !== '' &&
    optStr(v.recurrence) &&
    optStr(v.timeZone) &&
    optStr(v.startTime) &&
    optStr(v.endTime) &&
    optNum(v.minSize) &&
    optNum(v.maxSize) &&
    optNum(v.desiredCapacity)
  );
}

/** Raw file text stays untrusted until every field has the shape apply relies on. */
export function parseSchedulePlanFile(text: string, path: string): SchedulePlanFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new CrewError('CREW_ERR_PLAN_JSON', `${path} is not JSON`, { cause: err });
  }
  const ok =
    isObj(v) &&
    v.kind === 'crew.asg-schedule-plan' &&
    v.version === 1 &&
    typeof v.asgName === 'string' &&
    typeof v.region === 'string' &&
    typeof v.destroy === 'boolean' &&
    typeof v.fingerprint === 'string' &&
    Array.isArray(v.observed) &&
    v.observed.every(isAction) &&
    Array.isArray(v.puts) &&
    v.puts.every(isAction) &&
    Array.isArray(v.deletes) &&
    v.deletes.every((d) => typeof d === 'string');
  if (!ok) throw new CrewError('CREW_ERR_PLAN_JSON', `${path} is not an asg-schedule plan file`);
  return v as unknown as SchedulePlanFile;
}

/**
 * The crew's actions on a group as they were before the stack's first apply: what a "destroy"
 * rollback restores. Shared by every host (ScheduleBaselineStore) in a crew; a file in the
 * stack's workspace where no shared store is given (one machine, tests).
 */
export interface ScheduleBaselines {
  read(ws: StackWorkspace, asgName: string): Promise<ScheduledActionState[] | undefined>;
  /** Written once, by the first apply; later applies keep the original. */
  record(ws: StackWorkspace, asgName: string, actions: readonly ScheduledActionState[]): Promise<void>;
  clear(ws: StackWorkspace, asgName: string): Promise<void>;
}

export const isScheduleBaseline = (v: unknown): v is { actions: ScheduledActionState[] } =>
  isObj(v) && Array.isArray(v.actions) && v.actions.every(isAction);

// The group name is encoded (a no-op for the names the schema admits), so no name can reach a
// path outside the workspace.
const baselinePath = (ws: StackWorkspace, asgName: string) =>
  join(ws.dir, `asg-schedule-baseline.${encodeURIComponent(asgName)}.json`);

/** Baselines as files in each stack's workspace: one machine only. */
export const localScheduleBaselines: ScheduleBaselines = {
  async read(ws, asgName) {
    const text = await readFile(baselinePath(ws, asgName), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const v: unknown = JSON.parse(text);
    if (!isScheduleBaseline(v))
      throw new CrewError('CREW_ERR_PLAN_JSON', `${baselinePath(ws, asgName)} is not a schedule baseline`);
    return v.actions;
  },
  async record(ws, asgName, actions) {
    await writeFile(baselinePath(ws, asgName), JSON.stringify({ asgName, actions }, null, 2), { flag: 'wx' }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      },
    );
  },
  async clear(ws, asgName) {
    await rm(baselinePath(ws, asgName), { force: true });
  },
};
