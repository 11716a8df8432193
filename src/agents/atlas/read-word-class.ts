import { loadNlp } from './load-nlp.js';

interface Term {
  text: string;
  tags?: string[];
  offset?: { start: number; length: number };
}

/** Word classes a name never has: "record needed", "asg please", "stack now", "record pointing". */
const NOT_NAME_TAGS = [
  'PastTense',
  'Participle',
  'Gerund',
  'Adverb',
  'Expression',
  'Preposition',
  'Conjunction',
  'Determiner',
  'Pronoun',
  'Modal',
  'Copula',
  'QuestionWord',
];

let memo: { text: string; terms: Term[] } | undefined;

function termsOf(text: string): Term[] {
  if (memo?.text !== text) {
    const sentences = loadNlp()(text).json({ offset: true, terms: { offset: true } }) as Array<{ terms: Term[] }>;
    memo = { text, terms: sentences.flatMap((s) => s.terms) };
  }
  return memo.terms;
}

/**
 * Whether the plain word at `at` in `text` is prose rather than a name, as compromise reads it in
 * its sentence: a verb form ("needed", "required", "pointing"), an adverb or a function word. A
 * word with a digit, dash, dot or underscore is always a name.
 */
export function isProseWord(text: string, at: number): boolean {
  const word = /^[\p{L}']+/u.exec(text.slice(at))?.[0];
  if (!word) return false;
  const term = termsOf(text).find((t) => t.offset?.start === at);
  if (!term?.tags || term.tags.includes('Noun')) return false;
  return term.tags.some((tag) => NOT_NAME_TAGS.includes(tag));
}
