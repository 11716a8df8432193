import type { Schedule } from '../../../contracts/index.js';
import type { AtlasDefaults } from './atlas-types.js';
import { FIXED } from './default-atlas-defaults.js';
import type { GoalFacts } from './extract-facts.js';
import { completeSchedule } from './extract-schedule.js';
import { refuse, type Refusal } from '../../errors.js';

/**
 * A weekly stop/start. Unstated parts come from the current schedule, else the weekend default
 * (stop FRI 22:00, start MON 07:00); the zone from the goal, the current schedule, or defaults.
 */
export function buildSchedule(
  f: GoalFacts,
  d: AtlasDefaults,
  current: Schedule | undefined,
): { ok: true; params: Schedule } | Refusal<'bad-input'> {
  const { stop, start } = completeSchedule(
    f.schedule,
    current?.stop ?? FIXED.weekendStop,
    current?.start ?? FIXED.weekendStart,
  );
  if (stop.day === start.day && stop.time === start.time) {
    return refuse('bad-input', `schedule stop and start are both ${stop.day} ${stop.time}`);
  }
  return { ok: true, params: { stop, start, timezone: f.timezone ?? current?.timezone ?? d.timezone } };
}
