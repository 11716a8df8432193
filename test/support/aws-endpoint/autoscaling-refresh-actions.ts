import { randomUUID } from 'node:crypto';
import type { ActionHandler } from './action-context.js';
import { needGroup } from './autoscaling-actions.js';
import type { EndpointState } from './endpoint-state.js';
import { AwsError, listParam, required, subParams, type Params } from './query-protocol.js';

// Instance refreshes (awsQuery), as the AWS provider drives them when a group's launch template
// or mixed instances policy changes: it cancels any active refresh, then starts one. The group's
// instances are healthy at once here, so a refresh replaces them all and ends Successful at once.

export interface InstanceRefresh {
  id: string;
  group: string;
  status: 'Pending' | 'InProgress' | 'Successful' | 'Cancelled';
  strategy: string;
  preferences: Params;
  startTime: string;
  endTime?: string;
  /** The instances it replaced, and their replacements. */
  replaced: Array<{ from: string; to: string }>;
}

const ACTIVE = new Set(['Pending', 'InProgress']);

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
    const at = state.now().toISOString();
    const replaced = g.instanceIds.map((from) => ({ from, to: state.newId('i') }));
    g.instanceIds = replaced.map((r) => r.to);
    const refresh: InstanceRefresh = {
      id: randomUUID(),
      group: g.name,
      status: 'Successful',
      strategy: params.Strategy ?? 'Rolling',
      preferences: subParams(params, 'Preferences'),
      startTime: at,
      endTime: at,
      replaced,
    };
    state.put('instance-refresh', refresh.id, refresh);
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
        PercentageComplete: r.status === 'Successful' ? 100 : 0,
        InstancesToUpdate: 0,
      })),
    };
  },
};
