/**
 * Regular expressions kept as one object per pattern for the life of the process.
 *
 * V8 compiles a regular expression on its first runs and keeps the code on the object. A
 * pattern made again (`new RegExp(...)` inside a function, or the copy `String.prototype
 * .matchAll` makes of its argument) after a full garbage collection is compiled again from
 * scratch, and a process that runs for months collects garbage between any two requests: a
 * goal's parse measured 0.5 ms in a tight loop and 30 ms after a few collections, nearly all
 * of it compiling patterns again. These helpers reuse the same objects, so their code stays.
 *
 * Only for patterns the code (or the settings) fixes: one built from a goal's own words (a
 * name, a number) serves that goal once and is made with `new RegExp`; kept, it would fill the
 * table with every goal a crew ever read (test/unit/agents/atlas/kept-patterns.test.ts).
 */

/** Patterns kept: far more than the code holds; a bound only because some are built from settings. */
const MAX_KEPT = 4_096;
const kept = new Map<string, RegExp>();

/** How many patterns are kept now (a goal's own words must not add to them). */
export function keptPatterns(): number {
  return kept.size;
}

/**
 * The process's RegExp for `source` and `flags`, made on first use, with `lastIndex` at 0.
 * Callers use it before the next call for the same pattern (no caller keeps it across awaits).
 */
export function regex(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let re = kept.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** The same pattern without the global flag (a first match only), kept like `regex`'s. */
export function firstOnly(re: RegExp): RegExp {
  return regex(re.source, re.flags.replace('g', ''));
}

/**
 * Every match of the global `re` in `text`, from the start: what `[...text.matchAll(re)]`
 * gives, found with `re` itself rather than a copy. `re.lastIndex` is 0 again afterwards.
 */
export function matchesOf(re: RegExp, text: string): RegExpExecArray[] {
  if (!re.global) throw new TypeError(`matchesOf needs a global pattern, got /${re.source}/${re.flags}`);
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  try {
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push(m);
      // An empty match would be found again at the same place: step over one character
      // (one code point when the pattern reads code points), as matchAll does.
      if (m[0].length === 0) re.lastIndex = nextIndex(text, re.lastIndex, re.unicode || re.flags.includes('v'));
    }
  } finally {
    re.lastIndex = 0;
  }
  return out;
}

function nextIndex(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const first = text.charCodeAt(index);
  const second = text.charCodeAt(index + 1);
  const pair = first >= 0xd800 && first <= 0xdbff && second >= 0xdc00 && second <= 0xdfff;
  return index + (pair ? 2 : 1);
}
