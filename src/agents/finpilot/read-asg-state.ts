import {
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
  type AutoScalingClient,
  type ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
import { createHash } from 'node:crypto';
import { CrewError } from '../../errors.js';
import { callAws } from './explain-aws-error.js';

/** One scheduled action as the crew compares it (sizes absent = "unchanged" on AWS). */
export interface ScheduledActionState {
  name: string;
  recurrence?: string;
  timeZone?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  /** Kept only for one-off actions: AWS moves a recurring action's StartTime to its next run. */
  startTime?: string;
  endTime?: string;
}

export interface AsgState {
  asgName: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Every scheduled action on the group, sorted by name. */
  actions: ScheduledActionState[];
}

const SERVICE = 'Auto Scaling';

function toState(a: ScheduledUpdateGroupAction): ScheduledActionState {
  const s: ScheduledActionState = { name: a.ScheduledActionName ?? '' };
  if (a.Recurrence) s.recurrence = a.Recurrence;
  if (a.TimeZone) s.timeZone = a.TimeZone;
  if (a.MinSize !== undefined) s.minSize = a.MinSize;
  if (a.MaxSize !== undefined) s.maxSize = a.MaxSize;
  if (a.DesiredCapacity !== undefined) s.desiredCapacity = a.DesiredCapacity;
  if (!a.Recurrence && a.StartTime) s.startTime = a.StartTime.toISOString();
  if (a.EndTime) s.endTime = a.EndTime.toISOString();
  return s;
}

/** All of the group's scheduled actions, following NextToken until the last page. */
export async function listScheduledActions(
  client: AutoScalingClient,
  asgName: string,
): Promise<ScheduledActionState[]> {
  const out: ScheduledActionState[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await callAws(SERVICE, 'DescribeScheduledActions', () =>
      client.send(
        new DescribeScheduledActionsCommand({
          AutoScalingGroupName: asgName,
          MaxRecords: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    out.push(...(res.ScheduledUpdateGroupActions ?? []).map(toState));
    token = res.NextToken || undefined;
    if (!token) return out.sort((a, b) => a.name.localeCompare(b.name));
  }
  throw new CrewError(
    'CREW_ERR_INTERNAL',
    `DescribeScheduledActions for ${asgName} kept returning NextToken after 1000 pages`,
  );
}

/** The group's live sizes and scheduled actions; a missing group is bad input, not a crash. */
export async function readAsgState(client: AutoScalingClient, asgName: string): Promise<AsgState> {
  const res = await callAws(SERVICE, 'DescribeAutoScalingGroups', () =>
    client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] })),
  );
  const group = (res.AutoScalingGroups ?? []).find((g) => g.AutoScalingGroupName === asgName);
  if (!group)
    throw new CrewError(
      'CREW_ERR_NOT_FOUND',
      `Auto Scaling group ${asgName} does not exist in this account and region (check the name and CREW_REGION)`,
    );
  return {
    asgName,
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    desiredCapacity: group.DesiredCapacity ?? 0,
    actions: await listScheduledActions(client, asgName),
  };
}

/** A stable hash of the actions: apply compares it to the plan's to detect a moved reality. */
export function fingerprintActions(actions: readonly ScheduledActionState[]): string {
  const keys = [
    'name',
    'recurrence',
    'timeZone',
    'minSize',
    'maxSize',
    'desiredCapacity',
    'startTime',
    'endTime',
  ] as const;
  const rows = [...actions].sort((a, b) => a.name.localeCompare(b.name)).map((a) => keys.map((k) => a[k] ?? null));
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}
