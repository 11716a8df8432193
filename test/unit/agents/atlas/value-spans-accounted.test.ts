import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { readWithRules } from '../../../../src/agents/atlas/parse-goal.js';
import { listNotUnderstood } from '../../../../src/agents/atlas/list-not-understood.js';
import { corpus, families, makeCtx, type CorpusEntry } from './atlas-fixtures.js';

/**
 * Value-like spans, found by patterns of their own (not the parser's): a clause Atlas drops
 * silently shows up here as a span neither in the spec's provenance nor under "not understood".
 */
const VALUE_LIKE: Array<[kind: string, re: RegExp]> = [
  ['cidr-or-ip', /\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b/g],
  ['instance type', /\b[a-z][a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal)\b/gi],
  ['region', /\b[a-z]{2}-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/gi],
  ['time', /\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b\.?|\b(?:noon|midnight)\b/gi],
  ['day', /\b(?:mon|tues?|wednes|thur?s?|fri|satur|sun)day s?\b/gi],
  ['size', /\b\d+(?:\.\d+)?\s*(?:gb|gib|tb|tib|mb|mib)\b/gi],
  ['money', /\$\s*\d[\d,]*(?:\.\d+)?\s*k?\b|\b\d[\d,]*(?:\.\d+)?k?\s*(?:dollars|bucks|usd|euros?)\b/gi],
  ['number', /(?<![\w.:/-])\d+(?:\.\d+)?(?![\w.:/-]*[a-z0-9])/gi],
  [
    'number word',
    /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|dozen)\b/gi,
  ],
];

interface Miss {
  goal: string;
  kind: string;
  text: string;
}

interface Accounting {
  /** Spans no reader took and not listed as not understood: dropped silently. */
  dropped: Miss[];
  /** Spans a reader took whose value the spec's provenance points at by its span. */
  traced: number;
  /** Spans a reader took, while the provenance of their field has no span (written differently). */
  untraced: Miss[];
}

/** How the value-like spans of a goal that made a plan were accounted for; undefined if no plan. */
function account(entry: CorpusEntry): Accounting | undefined {
  const ctx = makeCtx(entry.ctx === 'stacks', entry.stack ? { stack: entry.stack } : {});
  const out = parseGoal(entry.goal, ctx);
  const facts = readWithRules(entry.goal, ctx).facts;
  if (out.kind !== 'spec' || !facts) return undefined;
  const text = facts.raw;
  const spans = Object.values(out.spec.provenance ?? {}).flatMap((v) => (v.span ? [v.span] : []));
  const unread = listNotUnderstood(out.spec.rationale);
  const acc: Accounting = { dropped: [], traced: 0, untraced: [] };
  for (const [kind, re] of VALUE_LIKE) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].trimEnd().length;
      const miss = { goal: entry.goal, kind, text: m[0].trim() };
      // A reader that used a value blanked it in `rest` (same length and positions as the goal).
      const taken = facts.rest.slice(start, end).trim() === '';
      const listed = unread.some((words) => words.toLowerCase().includes(miss.text.toLowerCase()));
      if (spans.some((s) => s.start < end && start < s.end)) acc.traced += 1;
      else if (taken) acc.untraced.push(miss);
      else if (!listed) acc.dropped.push(miss);
    }
  }
  return acc;
}

describe('no value-like span of the corpus is dropped silently', () => {
  const goals = [...corpus, ...families];

  it('every goal that makes a plan used each value-like span or lists it as not understood', () => {
    let planned = 0;
    let traced = 0;
    const dropped: Miss[] = [];
    const untraced: Miss[] = [];
    for (const entry of goals) {
      const a = account(entry);
      if (a === undefined) continue;
      planned += 1;
      traced += a.traced;
      dropped.push(...a.dropped);
      untraced.push(...a.untraced);
    }
    for (const m of dropped) console.log(`DROPPED ${m.kind} ${JSON.stringify(m.text)} in ${JSON.stringify(m.goal)}`);
    // Known limit, reported rather than asserted: a provenance span marks where a value is written
    // literally; a value written differently ("8pm" → 20:00, "three" → 3, "8 GB" → 8192) or the
    // second item of a list is used, but its field's provenance says "your words" without a span.
    console.log(`value-like spans: ${traced} traced by a provenance span, ${untraced.length} used without one`);
    for (const m of untraced) console.log(`UNTRACED ${m.kind} ${JSON.stringify(m.text)} in ${JSON.stringify(m.goal)}`);
    expect(planned).toBeGreaterThan(100);
    expect(traced).toBeGreaterThan(0);
    expect(dropped).toEqual([]);
  });
});
