import type { ScheduleAt } from '../../../contracts/blueprints.js';

const DAY_NUMBER: Record<ScheduleAt['day'], number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** `{ day: 'FRI', time: '22:00' }` → `0 22 * * 5`, read in the schedule's own time zone. */
export function scheduleToCron(at: ScheduleAt): string {
  const [hour, minute] = at.time.split(':').map(Number);
  return `${minute ?? 0} ${hour ?? 0} * * ${DAY_NUMBER[at.day]}`;
}
