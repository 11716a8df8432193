import { loadNlp, mayHoldNumberWords } from './load-nlp.js';
import type { GoalScan } from './goal-scan.js';
import { matchesOf } from '../../util/regexps.js';

// Quantity idioms compromise does not read as numbers.
const IDIOMS: Array<[RegExp, number]> = [
  [/\bhalf\s+a\s+dozen\b/g, 6],
  [/\b(?:a\s+)?dozen\b/g, 12],
  [/\ba\s+(?:couple|pair)(?:\s+of)?\b/g, 2],
];

interface Term {
  text: string;
  number?: { num?: number };
  offset?: { start: number; length: number };
}

/** "the default one", "this one", "a bigger one": "one" standing for a noun said before, never a count. */
const ONE_AFTER =
  /\b(?:the|this|that|which|another|any|other|same|a|an)\s+(?:[a-z-]+\s+)?$|\b(?:new|old|bigger|smaller|cheaper|big|small)\s+$/;
const ONE_BEFORE =
  /^\s*(?:$|[,.;:!?)]|(?:and|or|but|please|instead|too|either|then|if|when|than|so|as|is|was|will|would|should)\b)/;

/**
 * "quick one:", "urgent one -", "a small one,": a word and "one" opening the request, then a colon,
 * dash or comma, name the request itself, never a count.
 */
const OPENING_ONE = /^(\s*(?:(?:a|an|another|just)\s+)?[a-z]+\s+)one(?=\s*(?::|[-–—]\s|,))/;

/** "set one up", "spin one up for us", "we need one in Frankfurt": "one" as the object of a verb. */
const ONE_OBJECT_BEFORE =
  /\b(?:set|spin|stand|fire|bring|start|boot|put|get|make|build|create|deploy|provision|give|need|want|like|add|launch)\s+$/;
const ONE_OBJECT_AFTER =
  /^\s+(?:up|for|in|on|with|please|that|which|like|of\s+(?:those|these|them))\b|^\s*(?:$|[,.;:!?)])/;

function isPronounOne(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  if (ONE_OBJECT_BEFORE.test(before) && ONE_OBJECT_AFTER.test(text.slice(end))) return true;
  // "the first one", "the last one preferred": after an ordinal, "one" is always the thing itself.
  if (/\b(?:first|second|third|last|latter|former)\s+$/.test(before)) return true;
  return ONE_AFTER.test(before) && ONE_BEFORE.test(text.slice(end));
}

/**
 * Numbers written as words become digits in `scan.rest` ("two thousand dollars" → "2000
 * dollars", "twenty-five workers", "a dozen"), so every later reader sees one form. compromise
 * reads the words; only cardinal spans made of words are rewritten, never a word joined by a
 * dash to another ("scale-to-zero", "one-off"), nor anything the earlier readers already took.
 */
export function spellNumbers(scan: GoalScan): void {
  // Read, so blanked like any word a reader took.
  const opening = OPENING_ONE.exec(scan.rest);
  if (opening?.[1] !== undefined) scan.blank(opening[1].length, 'one'.length);
  for (const [re, n] of IDIOMS) for (const m of matchesOf(re, scan.rest)) scan.rewrite(m.index, m[0].length, `${n}`);
  const terms = (
    mayHoldNumberWords(scan.rest) ? loadNlp()(scan.rest).numbers().isCardinal().json({ offset: true }) : []
  ) as Term[];
  for (const t of terms) {
    const num = t.number?.num;
    if (!t.offset || num === undefined || !Number.isFinite(num)) continue;
    const lead = /^[\s,.;:!?-]*/.exec(t.text)?.[0].length ?? 0;
    // "500 a month", "five hundred a month": compromise reads the article after a number into it;
    // the article stays a word.
    const written = t.text
      .trim()
      .replace(/^[,.;:!?-]+|[,.;:!?-]+$/g, '')
      .replace(/\s+(?:a|an|and|the)$/, '');
    // "thirty seconds": compromise reads "seconds" as a fraction (30/2); it is a unit, and the
    // number is the words before it ("900 seconds" is digits already).
    const unit = /^(.*?)\s+(?:seconds?|thirds?|halves|quarters?)$/.exec(written);
    const words = unit?.[1] ?? written;
    if (!/[a-z]/.test(words) || !/^(?:\d+(?:\.\d+)?\s+)?[a-z][a-z\s-]*$/.test(words)) continue;
    const value = unit ? Number((loadNlp()(words).numbers().get() as unknown[])[0]) : num;
    if (!Number.isFinite(value)) continue;
    const start = scan.rest.indexOf(words, t.offset.start + lead);
    if (start < 0 || start > t.offset.start + t.offset.length) continue;
    const end = start + words.length;
    if (/[\w-]/.test(scan.rest.charAt(start - 1)) || /[\w-]/.test(scan.rest.charAt(end))) continue;
    // "a few hundred" is no amount: left as words, so it is asked about rather than read as 100.
    const vague = /\b(?:few|several|some|many|couple)\b/;
    if (vague.test(words) || vague.test(scan.rest.slice(Math.max(0, start - 12), start))) continue;
    if (words === 'one' && isPronounOne(scan.rest, start, end)) continue;

    scan.rewrite(start, words.length, `${value}`);
  }
}
