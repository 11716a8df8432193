import { DescribeInstanceRefreshesCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { errorMessage, refuse, type Refusal } from '../../errors.js';
import type { PlanStore } from '../../store/plan-store.js';
import type { StackStore } from '../../store/stack-store.js';
import { callAws } from '../finpilot/explain-aws-error.js';
import { inertText } from '../../util/inert-text.js';

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

const MAX_REASON = 300;

/** The group's most recent refreshes, newest first (AWS's order); AWS's strings made inert. */
export async function readRefreshes(client: AutoScalingClient, group: string, max = 5): Promise<RefreshView[]> {
  const out = await callAws('Auto Scaling', 'DescribeInstanceRefreshes', () =>
    client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: max })),
  );
  return (out.InstanceRefreshes ?? []).map((r) => ({
    id: inertText(r.InstanceRefreshId ?? '', 120),
    status: inertText(r.Status ?? 'unknown', 40),
    percentComplete: r.PercentageComplete ?? 0,
    instancesToUpdate: r.InstancesToUpdate ?? 0,
    ...(r.StartTime ? { startTime: r.StartTime.toISOString() } : {}),
    ...(r.EndTime ? { endTime: r.EndTime.toISOString() } : {}),
    ...(r.StatusReason ? { statusReason: inertText(r.StatusReason, MAX_REASON) } : {}),
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

/** Where a stack's group runs on AWS. */
export interface RolloutGroup {
  stack: string;
  group: string;
  region: string;
}

/**
 * The stack's Auto Scaling group on AWS and its region, from the plan that applied its current
 * version; refused (bad input) for a stack that has none there.
 */
export async function rolloutGroupOf(
  o: { stacks: Pick<StackStore, 'current'>; plans: Pick<PlanStore, 'get'>; region: string },
  stack: string,
): Promise<{ ok: true; value: RolloutGroup } | Refusal<'bad-input'>> {
  const current = await o.stacks.current(stack);
  if (!current) return refuse('bad-input', `no applied stack named ${stack}`);
  if (!current.spec) return refuse('bad-input', `stack ${stack} was destroyed: it has no instances`);
  if (current.spec.blueprint !== 'aws-spot-ollama')
    return refuse(
      'bad-input',
      `stack ${stack} is ${current.spec.blueprint}: only an Ollama group (aws-spot-ollama) has instance refreshes`,
    );
  const plan = await o.plans.get(current.planId);
  const group = plan?.outputs?.['autoscaling_group_name'];
  const target = current.spec.target ?? plan?.target ?? 'sandbox';
  if (target !== 'aws')
    return refuse(
      'bad-input',
      `stack ${stack} is on the ${target} target: its group is not on AWS, so no refresh replaces its instances`,
    );
  if (typeof group !== 'string')
    return refuse('bad-input', `plan ${current.planId} of stack ${stack} recorded no Auto Scaling group`);
  return { ok: true, value: { stack, group, region: current.spec.region ?? o.region } };
}

/** The group's refreshes as text: a heading, then one line each (newest first). */
export function rolloutText(g: RolloutGroup, list: readonly RefreshView[]): string {
  return [
    `stack ${g.stack}, group ${g.group} (${g.region})`,
    ...(list.length ? list.map((r) => `  ${refreshLine(r)}`) : ['  no instance refresh on record']),
  ].join('\n');
}

/** `/crew rollout <stack>` in chat: the refreshes as text, or why the stack has none to show. */
export async function describeRollout(
  o: {
    stacks: Pick<StackStore, 'current'>;
    plans: Pick<PlanStore, 'get'>;
    region: string;
    client: (region: string) => AutoScalingClient;
  },
  stack: string,
): Promise<string> {
  const g = await rolloutGroupOf(o, stack);
  if (!g.ok) return g.refusal;
  try {
    return rolloutText(g.value, await readRefreshes(o.client(g.value.region), g.value.group));
  } catch (err) {
    return `could not read the instance refreshes of ${g.value.group}: ${errorMessage(err)}`;
  }
}
