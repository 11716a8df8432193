import type { GoalScan } from './goal-scan.js';
import { matchesOf } from '../../util/regexps.js';

/**
 * A ticket's id as trackers write it: an upper-case project key, a dash, digits ("OPS-4412",
 * "FIN-221", "NET-77"). Read from the original text, so "web-01" or a lower-case name stays a name.
 */
const TICKET_ID = /(?<![\w./-])([A-Z][A-Z0-9]{1,9})-(\d{1,7})(?![\w.-])/g;
/** Upper-case words with a dash and digits that are no ticket: a clock offset, a GPU model. */
const NOT_KEYS = new Set(['UTC', 'GMT', 'RTX', 'GTX']);
/** The noun before a name: "asg WEB-01", "node PVE-2", "called APP-3" are names, not tickets. */
const NAME_NOUN =
  /\b(?:asg|stack|workspace|node|host|template|image|bridge|record|called|named|name|group)\s*[:=]?\s*["'`]?$/;

/**
 * Ticket ids are references, not values: each is blanked so no reader takes its digits for a
 * count, and returned so the plan can say it was kept as a reference.
 */
export function readTicketIds(scan: GoalScan): string[] {
  const ids: string[] = [];
  for (const m of matchesOf(TICKET_ID, scan.raw)) {
    const key = m[1] ?? '';
    if (NOT_KEYS.has(key)) continue;
    // "FRI-22:00", "MON-0600": a day and its clock time.
    const digits = m[2] ?? '';
    const clock =
      (digits.length <= 2 && /^[:.h]\d{2}\b/.test(scan.raw.slice(m.index + m[0].length))) ||
      /^(?:[01]\d|2[0-3])[0-5]\d$/.test(digits);
    if (/^(?:MON|TUES?|WED|THU(?:RS?)?|FRI|SAT|SUN)$/.test(key) && clock) continue;
    if (scan.rest.slice(m.index, m.index + m[0].length).trim() === '') continue;
    if (NAME_NOUN.test(scan.rest.slice(Math.max(0, m.index - 20), m.index))) continue;
    scan.blank(m.index, m[0].length);
    if (!ids.includes(m[0])) ids.push(m[0]);
  }
  return ids;
}
