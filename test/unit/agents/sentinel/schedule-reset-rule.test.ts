import { describe, expect, it } from 'vitest';
import { evaluate, NOW, only, type ChangeSpec } from './plan-builder.js';

// NOW is Saturday 2026-11-21 10:00 UTC (11:00 in Paris): inside FRI 22:00 → MON 07:00.
const asg = (desired: number, before: number | null): ChangeSpec => ({
  address: 'aws_autoscaling_group.g',
  ...(before === null ? {} : { before: { name: 'ollama-dev', min_size: 0, max_size: 2, desired_capacity: before } }),
  after: {
    name: 'ollama-dev',
    min_size: 0,
    max_size: 2,
    desired_capacity: desired,
    launch_template: [{ id: 'lt-1', version: '1' }],
  },
});
const sched = (key: string, recurrence: string, size: number): ChangeSpec => ({
  address: `aws_autoscaling_schedule.${key}`,
  after: {
    autoscaling_group_name: 'ollama-dev',
    scheduled_action_name: key,
    recurrence,
    time_zone: 'Europe/Paris',
    min_size: 0,
    max_size: size,
    desired_capacity: size,
  },
});
const weekend = [sched('stop', '0 22 * * FRI', 0), sched('start', '0 7 * * 1', 2)];

describe('CREW_SCHEDULE_RESET', () => {
  it('warns, with the window and the numbers, when an apply inside the off window would start instances', () => {
    const r = evaluate([asg(2, 0), ...weekend]);
    expect(only(r, 'CREW_SCHEDULE_RESET').map((f) => [f.address, f.severity, f.message])).toEqual([
      [
        'aws_autoscaling_group.g',
        'MEDIUM',
        "applying now, inside the schedule's off window (FRI 22:00 → MON 07:00 Europe/Paris), sets desired_capacity 0 → 2: it starts 2 instance(s) the stop action keeps at 0 until MON 07:00; apply after the window, or plan again inside it (Forge then leaves the live size to the schedule)",
      ],
    ]);
  });

  it('is quiet outside the window, when the plan leaves the live size alone, or without a schedule', () => {
    const tuesday = new Date('2026-11-24T10:00:00Z');
    expect(only(evaluate([asg(2, 0), ...weekend], { now: tuesday }), 'CREW_SCHEDULE_RESET')).toEqual([]);
    expect(only(evaluate([asg(0, 0), ...weekend]), 'CREW_SCHEDULE_RESET')).toEqual([]);
    expect(only(evaluate([asg(2, 0)]), 'CREW_SCHEDULE_RESET')).toEqual([]);
    expect(NOW.toISOString()).toBe('2026-11-21T10:00:00.000Z');
  });
});
