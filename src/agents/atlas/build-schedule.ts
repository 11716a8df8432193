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
  const dayless = f.schedule.daylessText;
  if (dayless !== undefined && !current) {
    const example = `stop Friday ${f.schedule.stop?.time ?? '22:00'}, start Monday ${f.schedule.start?.time ?? '07:00'}`;
    return refuse(
      'bad-input',
      `"${dayless}" names no day, and there is no schedule whose days it could keep: a schedule here is weekly (one stop, one start); say it as a weekday and a time, e.g. "${example}"`,
    );
  }
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
