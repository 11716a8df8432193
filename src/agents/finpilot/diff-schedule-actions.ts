import type { AsgScheduleParams } from '../../../contracts/index.js';
import { CrewError } from '../../errors.js';
import { scheduleToCron } from '../forge/schedule-to-cron.js';
import type { AsgState, ScheduledActionState } from './read-asg-state.js';

/** Every action the crew owns starts with this; other actions on the group are left alone. */
export const CREW_ACTION_PREFIX = 'crew-';
export const STOP_ACTION = 'crew-weekend-stop';
export const START_ACTION = 'crew-weekend-start';
/** AWS quota: scheduled actions per Auto Scaling group. */
export const ACTIONS_PER_ASG_QUOTA = 125;

/** A plan the crew will not make; shown to the user as is. */
export class ScheduleRefusal extends CrewError {
  constructor(message: string) {
    super('CREW_ERR_BAD_INPUT', message);
    this.name = 'ScheduleRefusal';
  }
}

export type RowAction = 'create' | 'update' | 'delete' | 'no-op';

export interface ActionRow {
  name: string;
  action: RowAction;
  before: ScheduledActionState | null;
  after: ScheduledActionState | null;
}

export interface ScheduleDiff {
  puts: ScheduledActionState[];
  deletes: string[];
  rows: ActionRow[];
}

export const isCrewAction = (a: ScheduledActionState): boolean => a.name.startsWith(CREW_ACTION_PREFIX);

/**
 * The sizes the start action brings back: the group's live sizes, or, while the group sits
 * at zero in its off-hours, the sizes of the crew's existing start action.
 */
function restoreSizes(state: AsgState): { min: number; max: number; desired: number } {
  if (state.maxSize > 0 && state.desiredCapacity > 0)
    return { min: state.minSize, max: state.maxSize, desired: state.desiredCapacity };
  const start = state.actions.find((a) => a.name === START_ACTION);
  if (start && (start.maxSize ?? 0) > 0 && (start.desiredCapacity ?? 0) > 0) {
    return { min: start.minSize ?? 0, max: start.maxSize ?? 0, desired: start.desiredCapacity ?? 0 };
  }
  throw new ScheduleRefusal(
    `${state.asgName} runs ${state.desiredCapacity} instance(s) with max ${state.maxSize} right now, so there is no size for the start action to restore (a start with max 0 would keep it off for good): scale the group to its normal size first, then plan the schedule again`,
  );
}

/** The crew's actions the spec wants on the group (empty for `remove: true`). */
export function wantedActions(params: AsgScheduleParams, state: AsgState): ScheduledActionState[] {
  if (params.remove) return [];
  const s = params.schedule;
  if (!s)
    throw new ScheduleRefusal(`the asg-schedule plan for ${params.asgName} has neither a schedule nor remove: true`);
  const sizes = restoreSizes(state);
  // Stop pins all three sizes at 0 so scaling policies cannot bring instances back off-hours.
  return [
    {
      name: STOP_ACTION,
      recurrence: scheduleToCron(s.stop),
      timeZone: s.timezone,
      minSize: 0,
      maxSize: 0,
      desiredCapacity: 0,
    },
    {
      name: START_ACTION,
      recurrence: scheduleToCron(s.start),
      timeZone: s.timezone,
      minSize: sizes.min,
      maxSize: sizes.max,
      desiredCapacity: sizes.desired,
    },
  ];
}

function same(a: ScheduledActionState, b: ScheduledActionState): boolean {
  const keys = ['recurrence', 'timeZone', 'minSize', 'maxSize', 'desiredCapacity', 'startTime', 'endTime'] as const;
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/** Puts and deletes that turn the group's crew actions into `wanted`; other actions untouched. */
export function diffScheduleActions(state: AsgState, wanted: readonly ScheduledActionState[]): ScheduleDiff {
  const current = new Map(state.actions.filter(isCrewAction).map((a) => [a.name, a]));
  const rows: ActionRow[] = [];
  const puts: ScheduledActionState[] = [];
  for (const w of wanted) {
    const now = current.get(w.name);
    const action: RowAction = !now ? 'create' : same(now, w) ? 'no-op' : 'update';
    if (action !== 'no-op') puts.push(w);
    rows.push({ name: w.name, action, before: now ?? null, after: w });
  }
  const wantedNames = new Set(wanted.map((w) => w.name));
  const deletes = [...current.keys()].filter((n) => !wantedNames.has(n)).sort();
  for (const name of deletes) rows.push({ name, action: 'delete', before: current.get(name) ?? null, after: null });
  const created = rows.filter((r) => r.action === 'create').length;
  const total = state.actions.length - deletes.length + created;
  if (total > ACTIONS_PER_ASG_QUOTA) {
    throw new ScheduleRefusal(
      `${state.asgName} already has ${state.actions.length} scheduled actions; adding ${created} would make ${total}, above the AWS quota of ${ACTIONS_PER_ASG_QUOTA} per group: delete unused scheduled actions first (crew schedule show ${state.asgName} lists them)`,
    );
  }
  return { puts, deletes, rows };
}
