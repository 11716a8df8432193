import { randomUUID } from 'node:crypto';
import type { ActionHandler } from './action-context.js';
import { needGroup } from './autoscaling-actions.js';
import type { EndpointState } from './endpoint-state.js';
import { AwsError, listParam, required, subParams, type Params } from './query-protocol.js';

// Instance refreshes (awsQuery), as the AWS provider drives them when a group's launch template
// or mixed instances policy changes: it cancels any active refresh, then starts one. The group's
// instances are healthy at once here, so a refresh replaces them all and ends Successful at once,
// unless the test holds refreshes (`holdRefreshes`): then one stays InProgress, as a real one does
// for minutes, until the test finishes it (`finishRefreshes`) or a CancelInstanceRefresh ends it.

export interface InstanceRefresh {
  id: string;
  group: string;
  status: 'Pending' | 'InProgress' | 'Successful' | 'Cancelled' | 'Failed';
  statusReason?: string;
  strategy: string;
  preferences: Params;
  startTime: string;
  endTime?: string;
  /** The instances it replaced, and their replacements. */
  replaced: Array<{ from: string; to: string }>;
}

const ACTIVE = new Set(['Pending', 'InProgress']);
/** The setting's record: refreshes started while it is on stay InProgress. */
const HOLD = { table: 'instance-refresh-setting', id: 'hold' };

export function holdRefreshes(state: EndpointState, hold: boolean): void {
  if (hold) state.put(HOLD.table, HOLD.id, true);
  else state.remove(HOLD.table, HOLD.id);
}

/** Ends every active refresh Failed with `reason`, as AWS does when replacements fail their health checks. */
export function failRefreshes(state: EndpointState, reason: string): void {
  for (const r of state.list<InstanceRefresh>('instance-refresh').filter((x) => ACTIVE.has(x.status))) {
    r.status = 'Failed';
    r.statusReason = reason;
    r.endTime = state.now().toISOString();
  }
}

/** Ends every active refresh Successful, its group's instances replaced. */
export function finishRefreshes(state: EndpointState): void {
  for (const r of state.list<InstanceRefresh>('instance-refresh').filter((x) => ACTIVE.has(x.status)))
    replaceInstances(state, r);
}

function replaceInstances(state: EndpointState, r: InstanceRefresh): void {
  const g = state.get<{ instanceIds: string[] }>('autoscaling-group', r.group);
  if (g) {
    r.replaced = g.instanceIds.map((from) => ({ from, to: state.newId('i') }));
    g.instanceIds = r.replaced.map((x) => x.to);
  }
  r.status = 'Successful';
  r.endTime = state.now().toISOString();
}

const refreshesOf = (state: EndpointState, group: string) =>
  state.list<InstanceRefresh>('instance-refresh').filter((r) => r.group === group);

/** A deleted group's refreshes go with it, as AWS's history does. */
export function deleteGroupRefreshes(state: EndpointState, group: string): void {
  for (const r of refreshesOf(state, group)) state.remove('instance-refresh', r.id);
}

export const REFRESH_ACTIONS: Record<string, ActionHandler> = {
  StartInstanceRefresh: ({ params, state }) => {
    const g = needGroup(state, required(params, 'AutoScalingGroupName'));
    if (refreshesOf(state, g.name).some((r) => ACTIVE.has(r.status)))
      throw new AwsError(
        'InstanceRefreshInProgress',
        `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`,
      );
    const refresh: InstanceRefresh = {
      id: randomUUID(),
      group: g.name,
      status: 'InProgress',
      strategy: params.Strategy ?? 'Rolling',
      preferences: subParams(params, 'Preferences'),
      startTime: state.now().toISOString(),
      replaced: [],
    };
    state.put('instance-refresh', refresh.id, refresh);
    if (!state.get(HOLD.table, HOLD.id)) replaceInstances(state, refresh);
    return { InstanceRefreshId: refresh.id };
  },
  CancelInstanceRefresh: ({ params, state }) => {
    const name = required(params, 'AutoScalingGroupName');
    needGroup(state, name);
    const active = refreshesOf(state, name).find((r) => ACTIVE.has(r.status));
    if (!active)
      throw new AwsError(
        'ActiveInstanceRefreshNotFound',
        `No in progress or pending Instance Refresh found for Auto Scaling group ${name}`,
      );
    active.status = 'Cancelled';
    active.endTime = state.now().toISOString();
    return { InstanceRefreshId: active.id };
  },
  DescribeInstanceRefreshes: ({ params, state }) => {
    const name = required(params, 'AutoScalingGroupName');
    const ids = listParam(params, 'InstanceRefreshIds.member');
    // Newest first, as AWS lists them.
    const list = refreshesOf(state, name)
      .filter((r) => ids.length === 0 || ids.includes(r.id))
      .reverse();
    return {
      InstanceRefreshes: list.map((r) => ({
        InstanceRefreshId: r.id,
        AutoScalingGroupName: r.group,
        Status: r.status,
        StartTime: r.startTime,
        EndTime: r.endTime,
        StatusReason: r.statusReason,
        PercentageComplete: r.status === 'Successful' ? 100 : 0,
        InstancesToUpdate: ACTIVE.has(r.status)
          ? (state.get<{ instanceIds: string[] }>('autoscaling-group', r.group)?.instanceIds.length ?? 0)
          : 0,
      })),
    };
  },
};
