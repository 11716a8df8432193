import type { ScheduleView } from '../rules/link-schedules.js';
import { parseCron, weeklyFirings } from '../util/parse-cron.js';

const WEEK = 7 * 24 * 60;

/** Minutes `tz` is ahead of UTC at `at` (DST as of that moment). Throws on an unknown zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

export function tzOffsetMinutes(tz: string, at: Date): number {
  // Formatters are costly to build and a plan repeats the same few zones.
  const key = `${tz}@${Math.floor(at.getTime() / 3_600_000)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const offset = computeOffset(tz, at);
  if (offsets.size > 1000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

function computeOffset(tz: string, at: Date): number {
  let fmt = formatters.get(tz);
  fmt ??= new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  formatters.set(tz, fmt);
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0);
  const utc = Math.floor(at.getTime() / 60_000) * 60_000;
  return Math.round((local - utc) / 60_000);
}

export interface ScheduledHours {
  /** Hours per week with capacity above zero. */
  weeklyHours: number;
  /** weeklyHours × hoursPerMonth / 168. */
  monthlyHours: number;
  notes: string[];
}

/**
 * Running hours implied by recurring scheduled actions, simulated over one week in UTC.
 * Returns null when no action changes whether the group runs.
 */
export function computeScheduledHours(
  schedules: ScheduleView[],
  initialCapacity: number,
  now: Date,
  hoursPerMonth: number,
): ScheduledHours | null {
  const notes: string[] = [];
  const events: { minute: number; capacity: number | 'same' }[] = [];
  for (const s of schedules) {
    const where = s.resource.address;
    if (!s.recurrence) {
      notes.push(`${where}: one-off action (no recurrence) not modelled in monthly hours`);
      continue;
    }
    const cron = parseCron(s.recurrence);
    if (!cron) {
      notes.push(`${where}: recurrence "${s.recurrence}" not understood; hours not adjusted for it`);
      continue;
    }
    if (cron.daysOfMonth || cron.months) notes.push(`${where}: day-of-month/month fields approximated as every week`);
    let offset = 0;
    try {
      offset = s.timeZone ? tzOffsetMinutes(s.timeZone, now) : 0;
    } catch {
      notes.push(`${where}: unknown time_zone "${s.timeZone}", treated as UTC`);
    }
    const capacity = s.desired !== null && s.desired >= 0 ? s.desired : s.max === 0 ? 0 : 'same';
    for (const local of weeklyFirings(cron))
      events.push({ minute: (((local - offset) % WEEK) + WEEK) % WEEK, capacity });
  }
  if (!events.some((e) => e.capacity !== 'same'))
    return notes.length ? { weeklyHours: 168, monthlyHours: hoursPerMonth, notes } : null;
  events.sort((a, b) => a.minute - b.minute);
  // The state at the start of the week is whatever the last action of the previous week left.
  let state = initialCapacity;
  for (const e of events) if (e.capacity !== 'same') state = e.capacity;
  let onMinutes = 0;
  let cursor = 0;
  for (const e of events) {
    if (state > 0) onMinutes += e.minute - cursor;
    cursor = e.minute;
    if (e.capacity !== 'same') state = e.capacity;
  }
  if (state > 0) onMinutes += WEEK - cursor;
  const weeklyHours = onMinutes / 60;
  return { weeklyHours, monthlyHours: (weeklyHours * hoursPerMonth) / 168, notes };
}
