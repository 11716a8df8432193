import type { GoalScan } from './goal-scan.js';
import { regex } from '../../util/regexps.js';

export interface ScheduleShift {
  role: 'stop' | 'start';
  /** Later when positive. */
  minutes: number;
  /** The words, as written. */
  text: string;
}

const SHIFT_ROLE =
  '(stop(?:s|ping)?|shut\\s*-?\\s*(?:it\\s+|them\\s+)?down|shutdown|start(?:s|ing|up)?|wake(?:[- ]?up)?)';
const SHIFT_AMOUNT = '(an?|\\d+|half\\s+an?)\\s*(hours?|hrs?|h|minutes?|mins?)';
/** "start x an hour earlier", "stop it 30 minutes later", "the stop later by 2 hours". */
const SHIFT = regex(
  `\\b${SHIFT_ROLE}\\b[^,.;\\n\\d]{0,60}?(?:\\b${SHIFT_AMOUNT}\\s+(earlier|later|sooner)|\\b(earlier|later|sooner)\\s+by\\s+${SHIFT_AMOUNT})\\b`,
  'dg',
);

/** Reads a moved time ("an hour earlier"), blanking its words but what lies between. */
export function readShift(scan: GoalScan): ScheduleShift | undefined {
  SHIFT.lastIndex = 0;
  const m = SHIFT.exec(scan.rest);
  if (!m?.indices) return undefined;
  const [amount, unit, direction] = m[2] !== undefined ? [m[2], m[3], m[4]] : [m[6], m[7], m[5]];
  const count = /^an?$/.test(amount ?? '') ? 1 : /^half/.test(amount ?? '') ? 0.5 : Number(amount);
  const minutes = count * (/^(?:h|hrs?|hours?)$/.test(unit ?? '') ? 60 : 1);
  const shift: ScheduleShift = {
    role: /^(?:start|wake)/.test(m[1] ?? '') ? 'start' : 'stop',
    minutes: direction === 'later' ? minutes : -minutes,
    text: scan.rawAt(m.index, m[0].length).replace(/\s+/g, ' ').trim(),
  };
  // The role word, and the amount with its direction; a stack's name between them stays to be read.
  const role = m.indices[1] as [number, number];
  scan.blank(role[0], role[1] - role[0]);
  const from = Math.min(...[2, 5].flatMap((g) => m.indices?.[g]?.[0] ?? []));
  scan.blank(from, m.index + m[0].length - from);
  return shift;
}
