import { ownValue } from './own-value.js';

// 5-field cron as AWS scheduled actions use it: minute hour day-of-month month day-of-week.

export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number> | null;
  months: Set<number> | null;
  daysOfWeek: Set<number>;
}

const DAY_NAMES: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
const MONTH_NAMES: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

function parseField(text: string, min: number, max: number, names: Record<string, number> = {}): Set<number> | null {
  const out = new Set<number>();
  const value = (s: string): number => {
    const named = ownValue(names, s.toUpperCase());
    return named ?? (/^\d+$/.test(s) ? Number(s) : NaN);
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return null;
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(value) as [number, number];
    else [lo, hi] = [value(range), stepText === undefined ? value(range) : max];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) return null;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

const cache = new Map<string, Cron | null>();

/** Parsed once per distinct expression; a plan repeats the same few schedules. */
export function parseCron(expr: string): Cron | null {
  if (cache.has(expr)) return cache.get(expr) ?? null;
  const cron = parseUncached(expr);
  if (cache.size > 1000) cache.clear();
  cache.set(expr, cron);
  return cron;
}

function parseUncached(expr: string): Cron | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(m, 0, 59);
  const hours = parseField(h, 0, 23);
  const daysOfWeekRaw = parseField(dow, 0, 7, DAY_NAMES);
  if (!minutes || !hours || !daysOfWeekRaw) return null;
  const daysOfMonth = dom === '*' || dom === '?' ? null : parseField(dom, 1, 31);
  const months = mon === '*' ? null : parseField(mon, 1, 12, MONTH_NAMES);
  if ((dom !== '*' && dom !== '?' && !daysOfMonth) || (mon !== '*' && !months)) return null;
  // 7 is Sunday too.
  const daysOfWeek = new Set([...daysOfWeekRaw].map((d) => d % 7));
  return { minutes, hours, daysOfMonth, months, daysOfWeek };
}

/** Minutes of the week (0 = Sunday 00:00) at which the cron fires, in its own time zone. */
export function weeklyFirings(cron: Cron): number[] {
  const out: number[] = [];
  for (const d of [...cron.daysOfWeek].sort((a, b) => a - b)) {
    for (const h of [...cron.hours].sort((a, b) => a - b)) {
      for (const m of [...cron.minutes].sort((a, b) => a - b)) out.push(d * 1440 + h * 60 + m);
    }
  }
  return out;
}
