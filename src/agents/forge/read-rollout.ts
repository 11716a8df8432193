import { DescribeInstanceRefreshesCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { callAws } from '../finpilot/explain-aws-error.js';

// What AWS is doing to a group's running instances after an apply changed their instance types,
// model or volume: the instance refresh the apply started (the module's `instance_refresh`)
// replaces them one by one for minutes after the apply itself has ended.

/** One instance refresh as AWS lists it. */
export interface RefreshView {
  id: string;
  status: string;
  percentComplete: number;
  /** Instances still to replace. */
  instancesToUpdate: number;
  startTime?: string;
  endTime?: string;
  statusReason?: string;
}

/** Statuses of a refresh that has not ended (AWS's own list). */
export const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

/** The group's most recent refreshes, newest first (AWS's order). */
export async function readRefreshes(client: AutoScalingClient, group: string, max = 5): Promise<RefreshView[]> {
  const out = await callAws('Auto Scaling', 'DescribeInstanceRefreshes', () =>
    client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: max })),
  );
  return (out.InstanceRefreshes ?? []).map((r) => ({
    id: r.InstanceRefreshId ?? '',
    status: r.Status ?? 'unknown',
    percentComplete: r.PercentageComplete ?? 0,
    instancesToUpdate: r.InstancesToUpdate ?? 0,
    ...(r.StartTime ? { startTime: r.StartTime.toISOString() } : {}),
    ...(r.EndTime ? { endTime: r.EndTime.toISOString() } : {}),
    ...(r.StatusReason ? { statusReason: r.StatusReason } : {}),
  }));
}

/** One line per refresh: status, progress, instances left, when. */
export function refreshLine(r: RefreshView): string {
  const left = ACTIVE_REFRESH.has(r.status) ? `, ${r.instancesToUpdate} instance(s) to replace` : '';
  const when = r.endTime ? `ended ${r.endTime}` : r.startTime ? `started ${r.startTime}` : '';
  const reason = r.statusReason ? ` — ${r.statusReason}` : '';
  return `${r.status} ${r.percentComplete}%${left}${when ? `, ${when}` : ''} (${r.id})${reason}`;
}

/** The exit a `crew rollout` gives for the newest refresh: ended well, still running, or not. */
export function rolloutOutcome(newest: RefreshView | undefined): 'none' | 'running' | 'successful' | 'unsuccessful' {
  if (!newest) return 'none';
  if (ACTIVE_REFRESH.has(newest.status)) return 'running';
  return newest.status === 'Successful' ? 'successful' : 'unsuccessful';
}
