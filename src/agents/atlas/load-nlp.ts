import { createRequire } from 'node:module';
import type Nlp from 'compromise';

export type NlpReader = typeof Nlp;

let nlp: NlpReader | undefined;

/**
 * compromise, loaded on first use from its one-file CommonJS build (its ESM entry is some 440
 * modules): a goal it is never asked about does not pay for it, and reading stays synchronous.
 */
export function loadNlp(): NlpReader {
  nlp ??= createRequire(import.meta.url)('compromise') as NlpReader;
  return nlp;
}

/**
 * Every word compromise can read as a number (its lexicon's values and the stems of their
 * ordinal, plural and fraction forms), at the start of a word: without one, compromise finds
 * no number written in words, so there is nothing for it to read.
 */
const NUMBER_WORD =
  /(?<![a-z])(?:zero|one|two|thr|thir|four|fort|fi[fv]|six|seven|eight|nin|ten|eleven|twel|twent|hundred|thousand|[mbtr]illion|quadrillion|quintillion|sextillion|septillion|first|second|few)/i;

/** Whether `text` may hold a number written in words (a cheap test before loading compromise). */
export function mayHoldNumberWords(text: string): boolean {
  return NUMBER_WORD.test(text);
}
