import type { ScheduleAt } from '../../../contracts/index.js';
import type { GoalScan } from './goal-scan.js';
import { readHalfOfDayAfter, readSpokenClocks } from './read-clock.js';
import { readScheduleNegation } from './read-schedule-negation.js';
import { readShift, type ScheduleShift } from './read-schedule-shift.js';
import { matchesOf, regex } from '../../util/regexps.js';

export interface ScheduleFacts {
  /** The goal asks for a schedule (weekend words, "schedule", or a day and time). */
  mentioned: boolean;
  stop?: Partial<ScheduleAt>;
  start?: Partial<ScheduleAt>;
  remove: boolean;
  /** The goal says to keep it running ("no weekend shutdown", "don't turn it off"). */
  negated?: boolean;
  /** The words that said so, for provenance. */
  negatedText?: string;
  /** Nightly or daily shutdowns: the blueprint's schedule is one weekly stop and start. */
  nightly: boolean;
  /** "stop at 20:00": times said with their role and no day (the days the schedule has stay); the first, as written. */
  daylessText?: string;
  /** "start x an hour earlier", "stop it 30 minutes later": a time the schedule has, moved. */
  shift?: ScheduleShift;
}

type Day = ScheduleAt['day'];
interface Token {
  index: number;
  end: number;
  day?: Day;
  time?: string;
  /** A bare hour ("at 9"): a time only beside a day ("Monday at 9"), else a count for other readers. */
  bare?: boolean;
  /** Said without a.m. or p.m. ("half past 7"): a part of the day before it makes it p.m. */
  twelveHour?: boolean;
}

const DAY_RE =
  /\b(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?\b\.?/g;
/** "7pm", "7.30pm", "19:30", "19h", "19h30", "noon", "twelve noon" (read "12 noon"), "midday", "midnight". */
const TIME_RE =
  /\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\b\.?|p\.?m\b\.?)|\b(\d{1,2}):(\d{2})\b(?:\s*h\b|\s*hrs\b)?|\b(\d{1,2})h(\d{2})?\b|\b(?:12\s+)?(noon|midday|midnight)\b|(?=[012]\d)(?<=\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?(?:,?\s+(?:at\s+|@\s*)?|[-@]))([01]\d|2[0-3])([0-5]\d)\b(?!\s*(?!(?:utc|gmt|z|local|[a-z]{2,4}t)\b)[a-z$%])/g;
/** "at 9", "at 7 o'clock", "at 7 in the evening", "at 10 at night": a bare hour, followed by no unit or noun. */
const BARE_HOUR_RE =
  /\bat\s+(\d{1,2})(?:\s*o['’]?clock)?(?:\s+in\s+the\s+(morning|afternoon|evening)|\s+at\s+(night))?(?=\s*(?:$|[,;!?)]|\.(?!\d)|(?:and|then|sharp|local|on|every|each|until|till|through|thru|from)\b|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|[a-z/_]+\s+time\b))/g;
const PART_OF_DAY = /\b(afternoon|evening|night)\b/;
const REMOVE_RE =
  /\b(?:drop|remove|rm|delete|del|cancel|disable|clear|turn off|get rid of|kill|stop using|(?:no longer|do not|don['’]?t|does not|doesn['’]?t|never) (?:need|want)s?(?:\s+(?:any\s*more|no\s+more))?)\s+(?:the\s+|its\s+|their\s+|any\s+|that\s+|this\s+|a\s+)?(?:weekend\s+|weekly\s+|off[- ]?hours?\s+|scale[- ]to[- ]zero\s+|shutdown\s+|scheduled\s+)?(?:(?:on\s*\/\s*off|off\s*\/\s*on|start\s*\/\s*stop|stop\s*\/\s*start)\s+)?(?:schedules?|sched|stop\s*\/\s*start|start\s*\/\s*stop|kill[- ]?switch(?:es)?|off[- ]?hours|shut\s*-?downs?|stops?|scale[- ]?downs?|scale[- ]to[- ]zero|power[- ]?offs?|(?=\w)(?<=(?:weekend|weekly|scheduled)\s+)(?:scaling|actions?))\b|\bno\s+(?:more\s+)?(?:weekend\s+)?schedule\b|\b(?:run|keep (?:it|them) (?:up|on|running)|stay up)\s+24\s*\/\s*7\b|\balways[- ]on\b/g;
const WEEKEND_RE = /\b(?:over |for |during |on |at )?(?:the\s+)?week-?ends?\b(?:\s+off\b)?/g;
/** "weekdays only", "only on business days": running Monday to Friday is off on weekends. */
const WEEKDAYS_ONLY_RE =
  /\b(?:only\s+)?(?:(?:on|during|for)\s+)?(?:the\s+)?(?:weekdays|business[- ]days|working[- ]days|work[- ]?days)(?:\s+only)?\b|\bmon(?:day)?\s*(?:-|–|to|through|thru)\s*fri(?:day)?\s+only\b/g;
/** Role words, with their inflections ("have it stopped Friday 20:00 and started again Monday 08:00"). */
const STOP_WORDS =
  /\b(stop(?:s|ped|ping)?|off|shut(?:s|ting)?|down|sleep(?:s|ing)?|slept|pause[sd]?|pausing|kill(?:s|ed)?|zero|from|after|halt(?:s|ed)?|suspend(?:s|ed)?|scale-to-zero)\b/g;
const START_WORDS =
  /\b(start(?:s|ed|ing)?|back|resum(?:e|es|ed|ing)|wak(?:e|es|ing|en)|woke|until|till|to|up|restart(?:s|ed)?|on again|bring|brought)\b/g;
/** "needs to run", "want to keep": an infinitive's "to" is no start time's "to". */
const INFINITIVE_TO =
  /\b(?:need|needs|needed|want|wants|wanted|have|has|had|going|like|likes|able|ought|used|supposed|meant|got|plan|plans|would)\s+to\b/g;

const POSTFIX_ROLE =
  /^[\s,]*(stop|shutdown|shut\s*down|start|startup|wake|off|on)\b(?!\s+(?:mon|tue|wed|thu|fri|sat|sun))/;

const DAYS: Record<string, Day> = {
  mon: 'MON',
  tue: 'TUE',
  wed: 'WED',
  thu: 'THU',
  fri: 'FRI',
  sat: 'SAT',
  sun: 'SUN',
};
const pad = (n: number) => String(n).padStart(2, '0');

function readTime(m: RegExpExecArray, scan: GoalScan): string | undefined {
  // The last two groups: a 4-digit time beside a day ("Fri 1800", "Mon 0800").
  const [text, h12, m12, ampm, h24, m24, hh, hm, word, mh, mm] = m;
  if (word) return word === 'midnight' ? '00:00' : '12:00';
  if (ampm !== undefined) {
    const h = Number(h12);
    const min = Number(m12 ?? '0');
    if (h < 1 || h > 12 || min > 59) return void scan.fail(`${text.trim()} is not a valid time of day`);
    const pm = ampm.startsWith('p');
    return `${pad((h % 12) + (pm ? 12 : 0))}:${pad(min)}`;
  }
  const h = Number(h24 ?? hh ?? mh);
  const min = Number(m24 ?? hm ?? mm ?? '0');
  if (h > 23 || min > 59) return void scan.fail(`${text.trim()} is not a valid time of day (use 00:00-23:59)`);
  return `${pad(h)}:${pad(min)}`;
}

/**
 * A written clock time as a token. "7:30 in the evening" is 19:30; "7:30" alone is a 12-hour time a
 * part of the day before it may make p.m. ("Friday evening 7:30"), "07:30" and "19:30" are 24-hour.
 */
function writtenTime(m: RegExpExecArray, scan: GoalScan): Token {
  const end = m.index + m[0].length;
  const h24 = m[4];
  if (h24 !== undefined) {
    const later = readHalfOfDayAfter(scan.rest.slice(end), Number(h24));
    if (later) return { index: m.index, end: end + later.length, time: `${pad(later.hour)}:${m[5] ?? '00'}` };
  }
  const twelveHour = h24 !== undefined && !h24.startsWith('0') && Number(h24) >= 1 && Number(h24) <= 12;
  return { index: m.index, end, time: readTime(m, scan), twelveHour };
}

const NOT_WEEKDAYS = new Set([
  'today',
  'yesterday',
  'someday',
  'everyday',
  'holiday',
  'birthday',
  'midday',
  'weekday',
  'workday',
  'payday',
  'day',
  'doomsday',
  'heyday',
  'noonday',
  'mayday',
]);

/** "on Funday": a day-shaped word that names no weekday is refused with the valid ones. */
function refuseUnknownDays(scan: GoalScan): void {
  for (const m of matchesOf(/\b([a-z]{2,}day)s?\b/g, scan.rest)) {
    const word = m[1] ?? '';
    if (NOT_WEEKDAYS.has(word) || /^(?:mon|tues|wednes|thurs|fri|satur|sun)day$/.test(word)) continue;
    scan.fail(
      `${scan.rawAt(m.index, word.length)} is not a day of the week: use Monday, Tuesday, Wednesday, Thursday, Friday, Saturday or Sunday`,
    );
  }
}

const DAY_PART =
  /^(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?$/;
const TIME_PART = /^\d{1,4}(?::\d{2})?(?:am|pm|h)?$/;

/**
 * A day name stands as a word of its own: inside a name such as "prometheus.mon.internal",
 * "sun.lab.internal" or "fri-batch" it is part of that name. A joined range ("fri-mon", "9am-fri")
 * is still days.
 */
function isWholeDay(text: string, index: number, end: number): boolean {
  let from = index;
  let to = end;
  while (from > 0 && /[a-z0-9._\-/]/.test(text.charAt(from - 1))) from -= 1;
  while (to < text.length && /[a-z0-9._\-/]/.test(text.charAt(to))) to += 1;
  const parts = text
    .slice(from, to)
    .split(/[._\-/]+/)
    .filter((p) => p !== '');
  return parts.every((p) => DAY_PART.test(p) || TIME_PART.test(p));
}

function lastWord(text: string, re: RegExp): number {
  return Math.max(-1, ...matchesOf(re, text).map((m) => m.index));
}

/** Words of a daily or nightly stop; a name holding them ("nightly-etl") is no such word. */
const DAILY_RE =
  /(?<![\w-])(?:nightly|(?<!(?:day|mon|tue|wed|thu|fri|sat|sun)s?\s+)nights|every\s+(?:night|evening|morning)|each\s+(?:night|evening|morning)|overnight|weeknights?|daily)(?![\w-])/;

const DAY_WORD =
  '(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?';
/** "stop on Saturday 02:00 instead of Friday": the day being replaced is no moment of the new schedule. */
const REPLACED_DAY = regex(
  `\\b(?:instead\\s+of|rather\\s+than|in\\s+place\\s+of|not(?:\\s+on)?)\\s+(?:the\\s+)?${DAY_WORD}\\b(?:\\s+(?:\\d{1,2}(?::\\d{2})?\\s*(?:am|pm)?|\\d{2}:\\d{2}))?` +
    // "at 18:00 instead of 22:00": the time it had, not a second moment.
    `|\\b(?:instead\\s+of|rather\\s+than|in\\s+place\\s+of)\\s+(?:at\\s+)?(?:\\d{1,2}(?::\\d{2})?\\s*(?:am|pm)\\b|\\d{1,2}:\\d{2}\\b)`,
  'g',
);
/**
 * "move the friday shutdown to 16:00", "Monday start stays 07:00", "the saturday stop is at 1am":
 * a day with its role noun, then the clock time it gets.
 */
const ROLE_MOMENT = regex(
  `\\b${DAY_WORD}(?:['’]s)?\\s+(stop|shut\\s*-?\\s*down|switch[- ]?off|power[- ]?off|start(?:[- ]?up)?|wake[- ]?up|switch[- ]?on|power[- ]?on)\\b[^,.;\\n\\d]{0,40}?\\b(?:to|at|stays?|remains?|is|becomes?|=|:)(?:\\s+(?:at|still))?\\s*(\\d{1,2}:\\d{2}|\\d{1,2}\\s*(?:am|pm)\\b)`,
  'g',
);

const MOMENT = `(?:${DAY_WORD}\\s*(?:at\\s+)?)?\\d{1,2}(?::\\d{2})?\\s*(?:am|pm)?(?:\\s+(?:on\\s+)?${DAY_WORD})?`;
const MOVED_FROM = regex(
  `\\b(?:move|moving|moved|change|changing|shift|push|reschedule|bring)\\s+(?:the\\s+|its\\s+)?(?:weekend\\s+|weekly\\s+|friday\\s+|monday\\s+)?(?:stop|shutdown|shut\\s*down|start|startup)\\s+(?:time\\s+)?from\\s+(${MOMENT})(?=\\s+to\\s+(?:${DAY_WORD}\\s*)?\\d)`,
  'g',
);

/** "stop at", "the start of x to", "shut it down at": a role said before a time, in one clause. */
const ROLE_BEFORE_TIME =
  /\b(?:stop(?:s|ped|ping)?|shut(?:s|ting)?\s*-?\s*(?:it\s+|them\s+)?down|shutdowns?|start(?:s|ed|ing|up)?|wake(?:s|[- ]?up)?|(?:switch|power|turn)(?:s|es|ed)?\s+(?:it\s+|them\s+)?(?:off|on))\b[^,.;\n]{0,60}$/;

/** Reads the ROLE_MOMENT phrases into the schedule's stop and start, blanking them. */
function readRoleMoments(scan: GoalScan, facts: ScheduleFacts): boolean {
  let found = false;
  for (const m of matchesOf(ROLE_MOMENT, scan.rest)) {
    const day = DAYS[(m[1] ?? '').slice(0, 3)];
    const clock = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec((m[3] ?? '').trim());
    if (!day || !clock) continue;
    let h = Number(clock[1]);
    const min = Number(clock[2] ?? '0');
    if (clock[3]) h = (h % 12) + (clock[3] === 'pm' ? 12 : 0);
    if (h > 23 || min > 59) {
      scan.fail(`${m[3]} is not a valid time of day (use 00:00-23:59)`);
      continue;
    }
    // Only the day with its noun and the time are read: a name between them ("the friday
    // shutdown of asg dev-api to 16:00") is left to the name reader.
    const head = /^\S+(?:['’]s)?\s+\S+(?:\s*-?\s*down)?/i.exec(m[0])?.[0].length ?? 0;
    scan.blank(m.index, head);
    scan.blank(m.index + m[0].length - (m[3] ?? '').length, (m[3] ?? '').length);
    const at = { day, time: `${pad(h)}:${pad(min)}` };
    if (/^(?:start|wake|switch[- ]?on|power[- ]?on)/.test(m[2] ?? '')) facts.start ??= at;
    else facts.stop ??= at;
    found = true;
  }
  return found;
}

/** Reads weekly stop/start times: "weekends off", "off from Friday 8pm to Monday 6am", "22:00 Fri". */
export function extractSchedule(scan: GoalScan): ScheduleFacts {
  const facts: ScheduleFacts = { mentioned: false, remove: false, nightly: false };
  const negation = readScheduleNegation(scan);
  if (negation !== undefined) {
    facts.remove = facts.negated = true;
    facts.negatedText = negation;
  }
  refuseUnknownDays(scan);
  const shift = readShift(scan);
  if (shift) {
    facts.shift = shift;
    facts.mentioned = true;
  }
  scan.take(REPLACED_DAY);
  // "move the weekend stop from Friday 22:00 to Friday 18:00": the moment it moves from is gone.
  for (const m of matchesOf(MOVED_FROM, scan.rest))
    scan.blank(m.index + m[0].length - (m[1] ?? '').length, (m[1] ?? '').length);
  const roleMoments = readRoleMoments(scan, facts);
  if (scan.take(REMOVE_RE).length > 0) facts.remove = true;
  // A ticket's "action: remove" beside "what: weekend schedule".
  if (scan.has(/\bschedul/) && scan.take(/\baction\s*[:=]\s*(?:remove|delete|drop|disable)\b/g).length > 0)
    facts.remove = true;
  const daily = regex(DAILY_RE.source).exec(scan.rest);
  if (daily) facts.nightly = true;
  // "Saturday and Sunday" is the weekend, not two moments: blank it before reading days.
  const satSun = scan.take(/\bsat(?:urday)?s?\s*(?:and|&|\+|,)\s*sun(?:day)?s?\b/g).length > 0;
  const weekdaysOnly = scan.take(WEEKDAYS_ONLY_RE).length > 0;
  const weekend = satSun || weekdaysOnly || scan.has(WEEKEND_RE);
  const scheduleWord = scan.has(/\bschedul(?:e|ed|ing)\b/);
  const days: Token[] = matchesOf(DAY_RE, scan.rest)
    .filter((m) => isWholeDay(scan.rest, m.index, m.index + (m[1] ?? '').length))
    .map((m) => ({
      index: m.index,
      end: m.index + m[0].length,
      day: DAYS[(m[1] ?? '').slice(0, 3)],
    }));
  // "half past 7", "quarter to 6": read first; the digits inside them are no other time.
  const spoken = readSpokenClocks(scan.rest);
  const overlaps = (m: RegExpExecArray) => spoken.some((t) => m.index < t.end && m.index + m[0].length > t.index);
  const times: Token[] = [...spoken];
  for (const m of matchesOf(TIME_RE, scan.rest)) if (!overlaps(m)) times.push(writtenTime(m, scan));
  for (const m of matchesOf(BARE_HOUR_RE, scan.rest)) {
    if (overlaps(m)) continue;
    const h = Number(m[1]);
    if (h > 23) continue;
    // "ten at night" is 22:00, "two at night" stays 02:00.
    const later = m[2] === 'afternoon' || m[2] === 'evening' || (m[3] === 'night' && h >= 6);
    times.push({
      index: m.index,
      end: m.index + m[0].length,
      time: `${pad(later && h < 12 ? h + 12 : h)}:00`,
      bare: true,
    });
  }
  // "weekdays 8am to 6pm": hours on every weekday are a daily schedule, which a weekly stop/start cannot be.
  if (weekdaysOnly && days.length === 0 && times.some((t) => !t.bare)) {
    scan.fail(
      'Running only during hours on weekdays is a daily schedule; schedules are weekly (one stop, one start): say e.g. "off from Friday 19:00 to Monday 07:00" or "weekdays only"',
    );
    return { ...facts, mentioned: true };
  }
  // A day and a time next to each other ("Friday 10 PM", "22:00 Fri", "10pm on Friday") are one moment.
  const tokens: Token[] = [];
  const usedTimes = new Set<Token>();
  for (const d of days) {
    const near = times.find(
      (t) =>
        !usedTimes.has(t) &&
        /^[\s,]*(?:(?:morning|afternoon|evening|night)[\s,]*)?(?:at|@|on|from|by|-)?[\s,]*$/.test(
          t.index > d.end ? scan.rest.slice(d.end, t.index) : scan.rest.slice(t.end, d.index),
        ),
    );
    if (near) usedTimes.add(near);
    // "Friday evening at 7", "Friday evening at half past 7": the part of the day between them makes
    // a 12-hour time p.m. ("Saturday night at 2" stays 02:00).
    const gap = near && near.index > d.end ? scan.rest.slice(d.end, near.index) : '';
    const hour = Number(near?.time?.slice(0, 2));
    // "at half past 8 on Friday evening": the part of the day may follow the day said after the time.
    const after =
      near && near.index < d.index ? /^\s*(morning|afternoon|evening|night)\b/.exec(scan.rest.slice(d.end)) : null;
    const part = PART_OF_DAY.exec(gap)?.[1] ?? PART_OF_DAY.exec(after?.[1] ?? '')?.[1];
    const time =
      (near?.bare || near?.twelveHour) && part && hour < 12 && (part !== 'night' || hour >= 6)
        ? `${pad(hour + 12)}${near?.time?.slice(2) ?? ':00'}`
        : near?.time;
    tokens.push({
      index: Math.min(d.index, near?.index ?? d.index),
      end: Math.max(d.end, near?.end ?? d.end),
      day: d.day,
      time,
    });
  }
  if (days.length > 0 || weekend || scheduleWord) {
    for (const t of times) if (!usedTimes.has(t) && !t.bare) tokens.push(t);
  } else {
    // "move the stop of x to 20:00": a time with its role and no day keeps the day it has.
    for (const t of times) {
      const from = Math.max(0, t.index - 80);
      const role = t.bare ? null : ROLE_BEFORE_TIME.exec(scan.rest.slice(from, t.index));
      if (!role) continue;
      tokens.push(t);
      facts.daylessText ??= scan
        .rawAt(from + role.index, t.end - from - role.index)
        .replace(/\s+/g, ' ')
        .trim();
    }
  }
  tokens.sort((a, b) => a.index - b.index);
  // With a stop and a start each given a time, a day said alone ("keep it running on Saturdays:
  // stop Saturday 20:00, start Monday 06:00") is context, not a third moment; so is one beside a
  // moved time ("start x an hour earlier on Mondays").
  if (tokens.filter((t) => t.day && t.time).length >= 2 || facts.shift)
    for (let i = tokens.length - 1; i >= 0; i--) if (!tokens[i]?.time) tokens.splice(i, 1);
  // "off nights and weekends", "stop every evening at 7pm, start every morning at 7am": a daily
  // stop beside a weekly one. The blueprint holds one weekly stop and start, so planning only the
  // weekly part would drop the nights: asked, with the form that can be planned.
  if (daily && !facts.remove && (tokens.length > 0 || weekend)) {
    scan.ask(
      `"${scan.rawAt(daily.index, daily[0].length)}" is a daily stop, and a schedule here is one weekly stop and one start: say e.g. "off from Friday 19:00 to Monday 07:00", or ask for the nightly stop separately.`,
    );
    return { ...facts, mentioned: true };
  }
  if (tokens.length === 0 && !weekend && !roleMoments && !(scheduleWord && !facts.remove)) return facts;
  facts.mentioned = tokens.length > 0 || weekend || scheduleWord || roleMoments || facts.shift !== undefined;
  // "move the schedule to Friday 20:00": that "to" belongs to the verb, not to a start time.
  // "to zero" / "to 0" (the number may already be spelled as a digit) is a stop, never a start's "to".
  const roleText = scan.rest
    .replace(INFINITIVE_TO, (m) => m.slice(0, -2) + '  ')
    .replace(/\bto\s+(?:zero|0|nothing)\b/g, (m) => 'zero'.padStart(m.length))
    .replace(
      /\b(move|shift|change|set|reschedule|update|push|make)\b([^,.;]*?)\bto\b/g,
      (_m, v: string, mid: string) => `${v}${mid}  `,
    );
  let prevEnd = 0;
  const unlabeled: Token[] = [];
  for (const t of tokens) {
    const before = roleText.slice(prevEnd, t.index);
    const stopAt = lastWord(before, STOP_WORDS);
    const startAt = lastWord(before, START_WORDS);
    const at = { day: t.day, time: t.time };
    // "Monday 08:00 start and Friday 18:00 stop": a role noun right after the moment names it.
    const postfix = stopAt < 0 && startAt < 0 ? POSTFIX_ROLE.exec(roleText.slice(t.end)) : null;
    const after = postfix?.[1];
    const starts = (w: string) => /^(?:start|startup|wake|on)$/.test(w);
    if (after && starts(after) && !facts.start) facts.start = at;
    else if (after && !starts(after) && !facts.stop) facts.stop = at;
    else if (stopAt > startAt && !facts.stop) facts.stop = at;
    else if (startAt > stopAt && !facts.start) facts.start = at;
    else unlabeled.push(t);
    // "Fri 19:00 off and Mon 07:00 on": the role word after a moment is that moment's, not the next one's.
    prevEnd = t.end + (postfix?.[0].length ?? 0);
  }
  for (const t of unlabeled) {
    if (!facts.stop) facts.stop = { day: t.day, time: t.time };
    else if (!facts.start) facts.start = { day: t.day, time: t.time };
  }
  for (const t of tokens) scan.blank(t.index, t.end - t.index);
  scan.take(WEEKEND_RE);
  scan.take(
    /\bscale\s+(?:it\s+|them\s+)?(?:down\s+)?to\s+(?:zero|0)\b|(?<=\b(?:scale|take|bring|put|drop|turn|set)\b[^,.;]{0,60}?)\b(?:down\s+)?to\s+(?:zero|0)\b|\bscale[- ]to[- ]zero\b|\b(?:shut\s*down|power(?:ed)? off|turn(?:ed)? off|switch(?:ed)? off)\b|\bkill[- ]?switch\b/g,
  );
  return facts;
}

/** Fills what the goal left out: a weekend stop Friday 22:00, start Monday 07:00. */
export function completeSchedule(
  facts: ScheduleFacts,
  fallbackStop: ScheduleAt,
  fallbackStart: ScheduleAt,
): { stop: ScheduleAt; start: ScheduleAt } {
  const stop: ScheduleAt = { day: facts.stop?.day ?? fallbackStop.day, time: facts.stop?.time ?? fallbackStop.time };
  const start: ScheduleAt = {
    day: facts.start?.day ?? fallbackStart.day,
    time: facts.start?.time ?? fallbackStart.time,
  };
  return { stop, start };
}
