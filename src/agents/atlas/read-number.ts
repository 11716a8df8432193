import { regex } from '../../util/regexps.js';
const WORDS: Record<string, number> = {
  zero: 0,
  no: 0,
  none: 0,
  one: 1,
  a: 1,
  an: 1,
  single: 1,
  'a single': 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
};

/** A count written as digits or as a word. */
export const NUM = '(\\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)';
/** As NUM, plus the article forms ("a worker", "no servers"). */
export const NUM_A =
  '(\\d+|zero|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|a single|single|an|a)';

export function readNumber(word: string): number {
  const w = word.trim().toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  return WORDS[w] ?? Number.NaN;
}

/** Whether the text states this number, as digits or as a word. */
export function mentionsNumber(text: string, n: number): boolean {
  // The number is the goal's own: a pattern used once, not kept.
  if (new RegExp(`(?<![\\d.])${n}(?![\\d])`).test(text)) return true;
  return Object.entries(WORDS).some(
    ([w, v]) => v === n && !['a', 'an', 'no', 'none'].includes(w) && regex(`\\b${w}\\b`, 'i').test(text),
  );
}
