import { Cron } from 'croner';
import { randomUUID } from 'node:crypto';
import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { AwsError, intParam, listParam, required, type XmlValue } from './query-protocol.js';

// Scheduled actions of Auto Scaling groups (Put/Describe/DeleteScheduledUpdateGroupAction).

export interface ScheduledAction {
  group: string;
  name: string;
  arn: string;
  recurrence?: string;
  timeZone?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  startTime?: string;
  endTime?: string;
}

// AWS's quota of scheduled actions per group.
const QUOTA = 125;

const key = (group: string, name: string) => `${group}/${name}`;

function needGroupName(state: EndpointState, name: string | undefined): string {
  if (!name || !state.get('autoscaling-group', name))
    throw new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name ?? ''} not found`);
  return name;
}

export function deleteGroupSchedules(state: EndpointState, group: string): void {
  for (const a of state.list<ScheduledAction>('scheduled-action'))
    if (a.group === group) state.remove('scheduled-action', key(group, a.name));
}

export function findScheduledAction(state: EndpointState, group: string, name: string): ScheduledAction {
  const a = state.get<ScheduledAction>('scheduled-action', key(needGroupName(state, group), name));
  if (!a) throw new AwsError('ValidationError', 'Scheduled action name not found');
  return a;
}

/**
 * AWS answers a recurring action's next run as its StartTime and Time: after each run it moves
 * on to the following one (read on the endpoint's clock).
 */
function actionXml(a: ScheduledAction, now: Date): XmlValue {
  const next = a.recurrence
    ? new Cron(a.recurrence, { timezone: a.timeZone ?? 'UTC' })
        .nextRun(now)
        ?.toISOString()
        .replace(/\.\d+Z$/, 'Z')
    : a.startTime;
  return {
    AutoScalingGroupName: a.group,
    ScheduledActionName: a.name,
    ScheduledActionARN: a.arn,
    Time: next,
    StartTime: a.startTime ?? next,
    EndTime: a.endTime,
    Recurrence: a.recurrence,
    MinSize: a.minSize,
    MaxSize: a.maxSize,
    DesiredCapacity: a.desiredCapacity,
    TimeZone: a.timeZone,
  };
}

export const SCHEDULE_ACTIONS: Record<string, ActionHandler> = {
  PutScheduledUpdateGroupAction: ({ params: p, state, region }) => {
    const group = needGroupName(state, p.AutoScalingGroupName);
    const name = required(p, 'ScheduledActionName');
    if (p.Recurrence !== undefined && p.Recurrence.trim().split(/\s+/).length !== 5)
      throw new AwsError('ValidationError', `Given recurrence string: ${p.Recurrence} is invalid.`);
    if (p.TimeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: p.TimeZone });
      } catch {
        throw new AwsError('ValidationError', `Invalid time zone: ${p.TimeZone}`);
      }
    }
    const existing = state.get<ScheduledAction>('scheduled-action', key(group, name));
    const count = state.list<ScheduledAction>('scheduled-action').filter((a) => a.group === group).length;
    if (!existing && count >= QUOTA)
      throw new AwsError(
        'LimitExceeded',
        `Maximum number of scheduled actions per Auto Scaling group (${QUOTA}) reached.`,
      );
    const a: ScheduledAction = {
      group,
      name,
      arn:
        existing?.arn ??
        `arn:aws:autoscaling:${region}:${state.accountId}:scheduledUpdateGroupAction:${randomUUID()}:autoScalingGroupName/${group}:scheduledActionName/${name}`,
    };
    if (p.Recurrence !== undefined) a.recurrence = p.Recurrence;
    if (p.TimeZone !== undefined) a.timeZone = p.TimeZone;
    const min = intParam(p, 'MinSize');
    const max = intParam(p, 'MaxSize');
    const desired = intParam(p, 'DesiredCapacity');
    if (min !== undefined) a.minSize = min;
    if (max !== undefined) a.maxSize = max;
    if (desired !== undefined) a.desiredCapacity = desired;
    if (p.StartTime) a.startTime = p.StartTime;
    if (p.EndTime) a.endTime = p.EndTime;
    if (min !== undefined && max !== undefined && min > max)
      throw new AwsError('ValidationError', 'The scheduled action has a min size greater than its max size.');
    state.put('scheduled-action', key(group, name), a);
    return {};
  },
  DescribeScheduledActions: ({ params, state }) => {
    const group = params.AutoScalingGroupName;
    const names = listParam(params, 'ScheduledActionNames.member');
    const actions = state
      .list<ScheduledAction>('scheduled-action')
      .filter((a) => (!group || a.group === group) && (names.length === 0 || names.includes(a.name)))
      .sort((x, y) => x.name.localeCompare(y.name));
    return { ScheduledUpdateGroupActions: actions.map((a) => actionXml(a, state.now())) };
  },
  DeleteScheduledAction: ({ params, state }) => {
    const group = needGroupName(state, params.AutoScalingGroupName);
    const name = required(params, 'ScheduledActionName');
    if (!state.remove('scheduled-action', key(group, name)))
      throw new AwsError('ValidationError', 'Scheduled action name not found');
    return {};
  },
};
