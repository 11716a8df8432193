import { matchesOf, regex } from '../../util/regexps.js';
/** A clock time said in words: "half past 7", "quarter to 6 pm", "10 past 9", "7 30 in the evening". */
export interface SpokenClock {
  index: number;
  end: number;
  /** 24-hour "HH:MM". */
  time: string;
  /** Said without a half of the day: a part of the day before it ("Friday evening at half past 7") makes it p.m. */
  twelveHour: boolean;
}

/** What says which half of the day after a clock time: "pm", "in the evening", "at night". */
const HALF_OF_DAY =
  '(?:\\s*(a\\.?m\\b\\.?|p\\.?m\\b\\.?)|\\s+in\\s+the\\s+(morning|afternoon|evening)|\\s+(at\\s+night|tonight))';
/** "a quarter to 7" (the "a" may already read "1"): the article is part of the clock time. */
const A_QUARTER = '(?:\\b(?:a|1)\\s+(?=quarter\\b))?';
const HOUR = "(\\d{1,2})(?:\\s*o['’]?clock)?";
/**
 * Runs after number words became digits ("half past seven" reads "half past 7", "seven thirty"
 * reads "7 30"). "N to H" is a clock only with "minutes", "quarter" or after "at": "2 to 6" is a range.
 */
const SPOKEN = regex(
  [
    `${A_QUARTER}\\b(half|quarter|\\d{1,2})(?:\\s+minutes?)?\\s+(past|after)\\s+${HOUR}\\b${HALF_OF_DAY}?`,
    // "at 10 to 8": after "at", a number before "to" is minutes, not the start of a range.
    `${A_QUARTER}\\b(quarter|\\d{1,2}\\s+minutes?|(?=\\d)(?<=\\bat\\s+)\\d{1,2})\\s+(to|before|till)\\s+${HOUR}\\b${HALF_OF_DAY}?`,
    `\\b(\\d{1,2})\\s*o['’]?clock\\b${HALF_OF_DAY}?`,
    // "7 30 pm", "seven thirty in the evening": hour and minutes only with a half of the day.
    `\\b(\\d{1,2})\\s+(\\d{2})\\b${HALF_OF_DAY}`,
  ].join('|'),
  'g',
);

const pad = (n: number) => String(n).padStart(2, '0');

/** The 24-hour hour of a 12-hour clock hour, given the words that said which half of the day. */
export function to24(hour: number, ampm?: string, part?: string, night?: string): number {
  const h = hour % 12;
  if (ampm?.startsWith('p') || part === 'afternoon' || part === 'evening') return h + 12;
  // "10 at night" is 22:00; "2 at night" and "12 at night" are after midnight.
  if (night) return hour >= 6 && hour < 12 ? h + 12 : h;
  if (ampm?.startsWith('a') || part === 'morning') return h;
  return hour;
}

const MINUTES: Record<string, number> = { half: 30, quarter: 15 };

/**
 * Clock times said the way people say them, which are never counts: "half past 7" (07:30), "quarter
 * past 9 in the evening" (21:15), "quarter to 6" (05:45), "10 past 7 pm" (19:10), "7 o'clock",
 * "7 30 pm" (19:30). Without a half of the day they read as the morning, as a bare hour does
 * ("Monday at 7" is 07:00). Hours outside 1-12 and minutes outside 1-59 are left to the other readers.
 */
export function readSpokenClocks(text: string): SpokenClock[] {
  const out: SpokenClock[] = [];
  for (const m of matchesOf(SPOKEN, text)) {
    const g = m.slice(1);
    // Each alternative has its own groups: [amount, relation, hour, ampm, part, night] for the first two.
    const [past, to, oclock, hm] = [g.slice(0, 6), g.slice(6, 12), g.slice(12, 16), g.slice(16, 21)];
    let hour: number;
    let minutes = 0;
    let before = false;
    let half: Array<string | undefined>;
    if (past[0] !== undefined || to[0] !== undefined) {
      const [amount = '', , h, ...rest] = past[0] !== undefined ? past : to;
      before = to[0] !== undefined;
      hour = Number(h);
      minutes = MINUTES[amount] ?? Number.parseInt(amount, 10);
      half = rest;
    } else if (oclock[0] !== undefined) {
      hour = Number(oclock[0]);
      half = oclock.slice(1);
    } else {
      hour = Number(hm[0]);
      minutes = Number(hm[1]);
      half = hm.slice(2);
    }
    if (hour < 1 || hour > 12 || minutes > 59 || (minutes < 1 && (past[0] ?? to[0]) !== undefined)) continue;
    const [ampm, part, night] = half;
    // "quarter to 1 in the afternoon" is 12:45: the half of the day belongs to the hour said.
    const h24 = to24(hour, ampm, part, night);
    out.push({
      index: m.index,
      end: m.index + m[0].length,
      time: before ? `${pad((h24 + 23) % 24)}:${pad(60 - minutes)}` : `${pad(h24)}:${pad(minutes)}`,
      twelveHour: ampm === undefined && part === undefined && night === undefined,
    });
  }
  return out;
}

const HALF_AFTER = regex(`^${HALF_OF_DAY}`);

/**
 * "7:30 in the evening", "10:15 at night": the half of the day said after a written clock time, as
 * the hour it makes and the length of those words; undefined when none follows.
 */
export function readHalfOfDayAfter(text: string, hour: number): { hour: number; length: number } | undefined {
  const m = HALF_AFTER.exec(text);
  if (!m || m[1] !== undefined || hour < 1 || hour > 12) return undefined;
  return { hour: to24(hour, undefined, m[2], m[3]), length: m[0].length };
}
