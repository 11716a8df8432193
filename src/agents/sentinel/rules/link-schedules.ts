import { ofType } from '../plan/index-plan.js';
import { toNumber } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { afterSource, beforeSource } from './inspect-resources.js';
import { linkedBy } from './link-resources.js';
import { memoize, type RuleContext } from './rule-types.js';

export interface ScheduleView {
  resource: PlanResource;
  values: Record<string, unknown>;
  recurrence?: string;
  timeZone?: string;
  desired: number | null;
  min: number | null;
  max: number | null;
}

export type Side = 'after' | 'before';

/** The ASG a schedule belongs to: the ASG's address when it is in the plan, else `name:<asg name>`. */
function groupKey(ctx: RuleContext, r: PlanResource, side: Side): string | null {
  const src = side === 'after' ? afterSource(ctx.index, r) : beforeSource(r);
  if (!src) return null;
  const name = src.get('autoscaling_group_name')[0];
  if (name?.kind === 'value' && typeof name.value === 'string') {
    const asg = asgByName(ctx, side).get(name.value);
    return asg ?? `name:${name.value}`;
  }
  const linked =
    side === 'after' ? linkedBy(ctx, r, src, 'autoscaling_group_name', 'aws_autoscaling_group')[0] : undefined;
  return linked ? linked.address : null;
}

function asgByName(ctx: RuleContext, side: Side): Map<string, string> {
  return memoize(ctx, `asgByName:${side}`, () => {
    const map = new Map<string, string>();
    for (const asg of ofType(ctx.index, 'aws_autoscaling_group')) {
      const name = (side === 'after' ? asg.after : asg.before)?.name;
      if (typeof name === 'string') map.set(name, asg.address);
    }
    return map;
  });
}

function view(r: PlanResource, values: Record<string, unknown>): ScheduleView {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    resource: r,
    values,
    recurrence: str(values.recurrence),
    timeZone: str(values.time_zone),
    desired: toNumber(values.desired_capacity),
    min: toNumber(values.min_size),
    max: toNumber(values.max_size),
  };
}

/** Schedules grouped by the ASG they act on, as they will be (`after`) or were (`before`). */
export function schedulesByAsg(ctx: RuleContext, side: Side): Map<string, ScheduleView[]> {
  return memoize(ctx, `schedules:${side}`, () => {
    const map = new Map<string, ScheduleView[]>();
    for (const r of ofType(ctx.index, 'aws_autoscaling_schedule')) {
      const values = side === 'after' ? r.after : r.before;
      if (!values || (side === 'after' && (r.kind === 'delete' || r.kind === 'forget'))) continue;
      const key = groupKey(ctx, r, side);
      if (key === null) continue;
      map.set(key, [...(map.get(key) ?? []), view(r, values)]);
    }
    return map;
  });
}

/** Stops scale the group to zero; starts bring capacity back. -1 means "unchanged". */
export function isStop(s: ScheduleView): boolean {
  return s.desired === 0 || s.max === 0;
}

export function isStart(s: ScheduleView): boolean {
  return (s.desired ?? -1) > 0 || ((s.max ?? -1) > 0 && (s.desired ?? -1) !== 0);
}
