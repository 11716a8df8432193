import type { Schedule, ScheduleAt } from '../../../contracts/blueprints.js';

const DAYS: readonly string[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const WEEK = 7 * 1440;

function minuteOfWeek(at: ScheduleAt): number {
  const [h = 0, m = 0] = at.time.split(':').map(Number);
  return DAYS.indexOf(at.day) * 1440 + h * 60 + m;
}

/** Minute of the week (Sunday 00:00 = 0) that `now` is in the time zone; undefined for a zone the runtime does not know. */
function localMinuteOfWeek(now: Date, timeZone: string): number | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return undefined;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday').toUpperCase());
  return day * 1440 + Number(get('hour')) * 60 + Number(get('minute'));
}

/**
 * Whether the weekly schedule has the group stopped at `now`: between its stop and its next
 * start, in the schedule's time zone (a window may wrap around the end of the week).
 */
export function isScheduledOff(schedule: Schedule, now: Date): boolean {
  const stop = minuteOfWeek(schedule.stop);
  const start = minuteOfWeek(schedule.start);
  if (stop === start) return false;
  const t = localMinuteOfWeek(now, schedule.timezone);
  // An unknown zone cannot say "stopped now": the plan sets the size (Sentinel flags the zone).
  if (t === undefined) return false;
  return (t - stop + WEEK) % WEEK < (start - stop + WEEK) % WEEK;
}
