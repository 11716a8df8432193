import type { BlueprintName } from '../../../contracts/index.js';
import type { GoalFacts } from './extract-facts.js';
import { PLACEMENT_RES } from './read-placement.js';
import { MEMORY_UNIT } from './read-size.js';
import { isProseWord } from './read-word-class.js';
import { matchesOf, regex } from '../../util/regexps.js';

/** Enough to show the person what was missed; a 4000-character goal could hold hundreds. */
const MAX_LISTED = 10;

export type UnreadKind = 'money' | 'count' | 'time' | 'network' | 'name' | 'word' | 'size';

/** A span of the goal that looks like a value no reader used. */
export interface UnreadValue {
  kind: UnreadKind;
  /** The words around it, as the person wrote them. */
  text: string;
}

// Words with digits that are names of things, not values.
const DIGIT_WORDS =
  /^(?:k3s|k8s|proxmox-k3s|ec2|rke2|s3|ipv[46]|24\/7|2fa|l[47]|x86_64|arm64|amd64|aarch64|mp3|mp4|h100|a100|a10g?|t4|l4|l40s?)$/;
/** "k8s-ish", "s3-compatible", "k3s-based": a suffix of likeness leaves the name a name. */
const LIKENESS = /-(?:ish|like|style|based|compatible|flavou?red|ready|native)$/;
const SIZE_AFTER = regex(`^\\s*${MEMORY_UNIT}\\b`);
const SIZE_TOKEN = regex(`^\\d+(?:\\.\\d+)?${MEMORY_UNIT}$`);
/** Which VM sizes each blueprint sets; on AWS the instance type decides cores and memory. */
const SIZES_USED: Record<BlueprintName, ReadonlyArray<'disk' | 'memory' | 'cores'>> = {
  'proxmox-k3s': ['disk', 'memory', 'cores'],
  'aws-spot-ollama': ['disk'],
  'asg-schedule': [],
  'dns-record': [],
};
const MONEY = /\$|€|£|\b(?:usd|dollars?|bucks|euros?|eur|gbp|quid)\b/g;
const BUDGET_LEFT =
  /\bbudget\s*(?:of|is|at|around|about|roughly|near|=|:)\s*(?!none\b|unlimited\b|n\/a\b)[^\s,;.]+(?:\s+[^\s,;.]+){0,2}/g;
/** "a few grand a month", "hundred a month tops": money words by a period or a cap, with no amount read. */
const BUDGET_LIKE =
  /\b(?:grand|thousand|hundred|k)\s+(?:a|an|per|\/)\s*(?:month|mo|year|yr)\b|\b(?:grand|thousand|hundred)\s+(?:tops|max(?:imum)?|at\s+most)\b/g;
// On one line: a ticket's "Request: new DNS record" ends before the next line's "Record: …".
const NAME_AFTER = /\b(stack|workspace|asg|record|called|named)[ \t]{1,2}["'`]?([a-z0-9][\w.-]*)/g;
const NOT_NAMES = new Set([
  'on',
  'in',
  'for',
  'to',
  'at',
  'of',
  'and',
  'with',
  'from',
  'by',
  'the',
  'a',
  'an',
  'it',
  'is',
  'that',
  'this',
  'which',
  'so',
  'as',
  'or',
  'but',
  'too',
  'should',
  'must',
  'will',
  'please',
  'now',
  'again',
  'every',
  'each',
  'schedule',
  'up',
  'down',
  'off',
  'has',
  'have',
  'was',
  'exists',
  'owns',
  'running',
  'type',
  'value',
  'pointing',
  'points',
  'entry',
  'set',
  'name',
  'names',
  'then',
  'stop',
  'start',
  'only',
  'also',
  'instead',
  'if',
  'when',
]);

function blankAll(text: string, re: RegExp): string {
  const g = regex(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return text.replace(g, (m) => ' '.repeat(m.length));
}

/** The raw words around a span: the word before it and the span itself, trimmed of punctuation. */
function around(f: GoalFacts, start: number, to: number): string {
  // A number written as a word is a digit in the read text ("one" → "1"): the raw word is longer.
  let end = to;
  while (end > 0 && end < f.raw.length && /\w/.test(f.raw.charAt(end - 1)) && /\w/.test(f.raw.charAt(end))) end += 1;
  const before = /(\S{1,30}\s+)?$/.exec(f.raw.slice(Math.max(0, start - 40), start))?.[0] ?? '';
  return f.raw
    .slice(start - before.length, end)
    .trim()
    .replace(/^[,;:.(]+|[,;:.)]+$/g, '');
}

function kindOf(token: string, rest: string, start: number, end: number): UnreadKind {
  if (/\d:\d|\d\s*(?:am|pm)$/.test(token)) return 'time';
  // "stop at half past 9" with no day: a clock time, asked about as one.
  if (/\b(?:half|quarter)\s+(?:past|after|to|before|till)\s+$/.test(rest.slice(0, start))) return 'time';
  if (/^\s*o['’]?clock\b/.test(rest.slice(end))) return 'time';
  // "start at 9", "until 6": an hour said bare, asked about as a time rather than a count.
  if (/^\d{1,2}$/.test(token) && /\b(?:at|until|till)\s+$/.test(rest.slice(Math.max(0, start - 8), start)))
    return 'time';
  if (SIZE_AFTER.test(rest.slice(end)) || SIZE_TOKEN.test(token)) return 'size';
  if (/\d+\.\d+\.\d+/.test(token)) return 'network';
  if (/^\s*(?:usd|dollars?|bucks|euros?|k\b|%)/.test(rest.slice(end))) return 'money';
  return 'count';
}

/**
 * Value-like spans of the goal that no reader used: digits, money words, a name after
 * stack/asg/record. `f.rest` has every used value blanked, so what is left was not understood.
 */
export function findUnreadValues(f: GoalFacts, blueprint?: BlueprintName): UnreadValue[] {
  let rest = f.rest;
  if (blueprint === 'proxmox-k3s') for (const re of Object.values(PLACEMENT_RES)) rest = blankAll(rest, re);
  const found: Array<UnreadValue & { at: number }> = [];
  for (const m of matchesOf(/[^\s,;()"'`]*\d[^\s,;()"'`]*/g, rest)) {
    const token = m[0].replace(/[.:!?]+$/, '');
    const word = token.replace(LIKENESS, '');
    if (DIGIT_WORDS.test(word) || /^[a-z]+\d+[a-z]*$/.test(word)) continue;
    // "k3s/proxmox", "ollama/ec2": names joined by a slash, no count among them.
    if (word.includes('/') && word.split('/').every((p) => DIGIT_WORDS.test(p) || /^[a-z]+(?:\d+[a-z]*)?$/.test(p)))
      continue;
    const end = m.index + token.length;
    const kind = kindOf(token, rest, m.index, end);
    // "100 GB": the unit is shown with the number.
    const shown = kind === 'size' ? end + (SIZE_AFTER.exec(rest.slice(end))?.[0].length ?? 0) : end;
    found.push({ at: m.index, kind, text: around(f, m.index, shown) });
  }
  for (const m of matchesOf(MONEY, rest))
    found.push({ at: m.index, kind: 'money', text: around(f, m.index, m.index + m[0].length) });
  // "budget of a few hundred": the word is left because no amount was read after it.
  if (f.budgetUsd === undefined)
    for (const m of matchesOf(BUDGET_LEFT, rest))
      found.push({ at: m.index, kind: 'money', text: f.raw.slice(m.index, m.index + m[0].length).trim() });
  for (const m of matchesOf(BUDGET_LIKE, rest))
    found.push({ at: m.index, kind: 'money', text: around(f, m.index, m.index + m[0].length) });
  for (const m of matchesOf(NAME_AFTER, rest)) {
    const name = m[2] ?? '';
    if (NOT_NAMES.has(name) || /^\d+$/.test(name)) continue;
    if (/^[a-z']+$/.test(name) && isProseWord(f.raw, m.index + m[0].length - name.length)) continue;
    found.push({ at: m.index, kind: 'name', text: f.raw.slice(m.index, m.index + m[0].length) });
  }
  // A dotted name the DNS reader took, in a plan that is no DNS record ("ｇ5.xlarge" with a
  // fullwidth letter): nothing uses it, so it is asked about rather than dropped.
  if (blueprint !== undefined && blueprint !== 'dns-record')
    for (const name of f.dns.fqdns) {
      const end = f.lower.indexOf(name) + name.length;
      if (end < name.length) continue;
      let at = end - name.length;
      while (at > 0 && /[^\s,;()"'`]/.test(f.raw.charAt(at - 1))) at -= 1;
      found.push({ at, kind: 'word', text: around(f, at, end) });
    }
  // "3 servers and 2 gpu" on k3s: a count of GPUs only the AWS blueprint turns into instances.
  const gpus = f.counts.gpus;
  if (blueprint !== undefined && blueprint !== 'aws-spot-ollama' && gpus)
    found.push({ at: gpus.at, kind: 'count', text: around(f, gpus.at, gpus.end) });
  // "4 vcpus, 16 GB" on AWS: read, but the blueprint has no such value, so it is asked about.
  if (blueprint !== undefined)
    for (const s of f.compute.sized)
      if (!SIZES_USED[blueprint].includes(s.what)) found.push({ at: s.at, kind: 'size', text: around(f, s.at, s.end) });
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return found
    .filter((u) => !seen.has(u.text) && seen.add(u.text))
    .slice(0, MAX_LISTED)
    .map(({ kind, text }) => ({ kind, text }));
}
