import type { PlanSpec } from '../../../contracts/index.js';
import type { Schedule } from '../../../contracts/blueprints.js';
import type { DriftItem, OwnedChange } from '../../store/drift-types.js';
import { resourceType } from './drift-value-path.js';
import { isScheduledOff } from './is-scheduled-off.js';

const CAPACITY = ['min_size', 'max_size', 'desired_capacity'] as const;
type Capacity = (typeof CAPACITY)[number];

/** Attributes the Auto Scaling group computes and changes itself (instances come and go). */
const GROUP_OWNED = new Set(['instance_ids', 'instances', 'predicted_capacity', 'warm_pool_size']);

/** "FRI 22:00 → MON 07:00 Europe/Berlin": the off window of a weekly schedule. */
export function describeWindow(s: Schedule): string {
  return `${s.stop.day} ${s.stop.time} → ${s.start.day} ${s.start.time} ${s.timezone}`;
}

/** The sizes each scheduled action sets (the module's schedule.tf: stop = 0, start = the spec's). */
export function scheduledSizes(
  spec: PlanSpec,
): { stop: Record<Capacity, number>; start: Record<Capacity, number> } | undefined {
  if (spec.blueprint !== 'aws-spot-ollama' || !spec.params.schedule) return undefined;
  const p = spec.params;
  return {
    stop: { min_size: 0, max_size: 0, desired_capacity: 0 },
    start: { min_size: p.minSize, max_size: p.maxSize, desired_capacity: p.desiredCapacity },
  };
}

/**
 * Splits raw differences into drift and what a scheduled action or the group itself owns: the
 * group's capacity at the value the action in force set (inside the off window the stop
 * action's zeros, outside it the start action's sizes), a scheduled action's start time (the
 * module never sets one: it is the next run, which AWS moves on each time the action runs),
 * and what the group computes itself.
 */
export function splitScheduleOwned(
  items: readonly DriftItem[],
  spec: PlanSpec,
  now: Date,
): { drift: DriftItem[]; owned: OwnedChange[] } {
  const sizes = scheduledSizes(spec);
  const schedule = spec.blueprint === 'aws-spot-ollama' ? spec.params.schedule : undefined;
  const drift: DriftItem[] = [];
  const owned: OwnedChange[] = [];
  for (const item of items) {
    const type = resourceType(item.address);
    const isGroup = type === 'aws_autoscaling_group';
    if (type === 'aws_autoscaling_schedule' && item.attribute === 'start_time' && schedule) {
      owned.push({
        ...item,
        ownedBy: `the weekly schedule: AWS keeps a recurring action's next run as its start time and moves it on after each run (off ${describeWindow(schedule)})`,
      });
      continue;
    }
    if (isGroup && GROUP_OWNED.has(item.attribute)) {
      owned.push({ ...item, ownedBy: 'the Auto Scaling group itself' });
      continue;
    }
    if (isGroup && sizes && schedule && (CAPACITY as readonly string[]).includes(item.attribute)) {
      const off = isScheduledOff(schedule, now);
      const action = off ? 'stop' : 'start';
      if (item.actual === sizes[action][item.attribute as Capacity]) {
        owned.push({
          ...item,
          ownedBy: `the ${action} action of the weekly schedule (off ${describeWindow(schedule)}; now ${off ? 'inside' : 'outside'} the off window)`,
        });
        continue;
      }
    }
    drift.push(item);
  }
  return { drift, owned };
}
