import { firstOnly, matchesOf } from '../../util/regexps.js';
/**
 * The goal text being read. `rest` is the lowercased text with every recognised value blanked
 * out (same length, so indices stay aligned with `raw`): later readers never see an IP,
 * instance type or stack name as a keyword.
 */
export class GoalScan {
  readonly raw: string;
  readonly lower: string;
  rest: string;
  readonly errors: string[] = [];
  /** What the goal asks that no blueprint can hold as written: the plan stops with these questions. */
  readonly questions: string[] = [];

  constructor(raw: string) {
    this.raw = raw;
    // Per character, so a character whose lowercase form is longer cannot shift indices.
    this.lower = Array.from(raw, (c) => {
      const l = c.toLowerCase();
      return l.length === c.length ? l : c;
    }).join('');
    this.rest = this.lower;
  }

  /** Every match of a global regex in `rest`; each is blanked out once all are found. */
  take(re: RegExp, keep: (m: RegExpExecArray) => boolean = () => true): RegExpExecArray[] {
    const found = matchesOf(re, this.rest).filter(keep);
    for (const m of found) this.blank(m.index, m[0].length);
    return found;
  }

  /**
   * Like takeFirst, matched on `rest` with its accents folded ("são paulo" as "sao paulo",
   * "zürich" as "zurich"): place names are matched however the person spells them.
   */
  takeFirstFolded(re: RegExp): RegExpExecArray | undefined {
    const m = firstOnly(re).exec(foldAccents(this.rest));
    if (m) this.blank(m.index, m[0].length);
    return m ?? undefined;
  }

  /** Like take, but only the first match. */
  takeFirst(re: RegExp): RegExpExecArray | undefined {
    const m = firstOnly(re).exec(this.rest);
    if (m) this.blank(m.index, m[0].length);
    return m ?? undefined;
  }

  has(re: RegExp): boolean {
    return firstOnly(re).test(this.rest);
  }

  blank(index: number, length: number): void {
    this.rest = this.rest.slice(0, index) + ' '.repeat(length) + this.rest.slice(index + length);
  }

  /**
   * Writes `text` over a span of `rest`, padded with spaces to the span's length, so a number
   * written as words ("two thousand") reads as digits ("2000        ") and indices stay aligned.
   */
  rewrite(index: number, length: number, text: string): void {
    if (text.length > length) return;
    this.rest = this.rest.slice(0, index) + text.padEnd(length, ' ') + this.rest.slice(index + length);
  }

  /** The original-case text of a span. */
  rawAt(index: number, length: number): string {
    return this.raw.slice(index, index + length);
  }

  fail(message: string): void {
    this.errors.push(message);
  }

  ask(question: string): void {
    if (!this.questions.includes(question)) this.questions.push(question);
  }
}

/**
 * The text with each accented letter written as its base letter, one character for one, so the
 * indices stay aligned with the original ("São Paulo" → "Sao Paulo", "Kraków" → "Krakow").
 */
export function foldAccents(text: string): string {
  // Plain ASCII has no accents to fold (most goals): per character, normalizing costs ~1 ms on 4,000.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return Array.from(text, (c) => {
    const base = c.normalize('NFD').replace(/\p{M}+/gu, '');
    return base.length === c.length ? base : c;
  }).join('');
}
