import type { Schedule, ScheduleAt } from '../../../contracts/index.js';
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
  notes?: string[],
): { ok: true; params: Schedule } | Refusal<'bad-input'> {
  const dayless = f.schedule.daylessText;
  if (dayless !== undefined && !current) {
    const example = `stop Friday ${f.schedule.stop?.time ?? '22:00'}, start Monday ${f.schedule.start?.time ?? '07:00'}`;
    return refuse(
      'bad-input',
      `"${dayless}" names no day, and there is no schedule whose days it could keep: a schedule here is weekly (one stop, one start); say it as a weekday and a time, e.g. "${example}"`,
    );
  }
  const shift = f.schedule.shift;
  if (shift && !current)
    return refuse(
      'bad-input',
      `"${shift.text}" moves a time, and there is no schedule to move: say its times, e.g. "stop Friday 22:00, start Monday 07:00"`,
    );
  if (shift && f.schedule[shift.role]?.time)
    return refuse(
      'bad-input',
      `"${shift.text}" moves the ${shift.role} the goal also sets to ${f.schedule[shift.role]?.time ?? ''}: say one of them`,
    );
  const { stop, start } = completeSchedule(
    f.schedule,
    current?.stop ?? FIXED.weekendStop,
    current?.start ?? FIXED.weekendStart,
  );
  if (shift && current) {
    const was = current[shift.role];
    const moved = shiftedAt({ day: shift.role === 'stop' ? stop.day : start.day, time: was.time }, shift.minutes);
    if (shift.role === 'stop') Object.assign(stop, moved);
    else Object.assign(start, moved);
    notes?.push(
      `Moves the ${shift.role} from ${was.day} ${was.time} to ${moved.day} ${moved.time} (${shift.minutes > 0 ? 'later' : 'earlier'} by ${duration(Math.abs(shift.minutes))}).`,
    );
  }
  if (stop.day === start.day && stop.time === start.time) {
    return refuse('bad-input', `schedule stop and start are both ${stop.day} ${stop.time}`);
  }
  return { ok: true, params: { stop, start, timezone: f.timezone ?? current?.timezone ?? d.timezone } };
}

const WEEK: ReadonlyArray<ScheduleAt['day']> = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const pad = (n: number) => String(n).padStart(2, '0');
const duration = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} hour(s)` : `${minutes} minutes`);

/** A weekly moment moved by some minutes: past midnight it is the next day (Sunday's next is Monday). */
function shiftedAt(at: ScheduleAt, minutes: number): ScheduleAt {
  const [h, m] = at.time.split(':').map(Number) as [number, number];
  const week = 7 * 24 * 60;
  const total = (((WEEK.indexOf(at.day) * 24 * 60 + h * 60 + m + minutes) % week) + week) % week;
  const inDay = total % (24 * 60);
  return {
    day: WEEK[Math.floor(total / (24 * 60))] as ScheduleAt['day'],
    time: `${pad(Math.floor(inDay / 60))}:${pad(inDay % 60)}`,
  };
}
