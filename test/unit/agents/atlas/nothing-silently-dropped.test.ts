import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { readWithRules } from '../../../../src/agents/atlas/parse-goal.js';
import { findUnreadValues } from '../../../../src/agents/atlas/find-unread-values.js';
import { corpus, makeCtx } from './atlas-fixtures.js';

/** Goals with a value Atlas cannot read: each ends blocked with a question naming the words. */
const UNREAD: Array<[goal: string, words: string, ask: RegExp]> = [
  ['ollama on g5.xlarge at 22:00', 'at 22:00', /weekday and a time/],
  ['ollama on g5.xlarge reachable from 10.0.0', 'from 10.0.0', /CIDR/],
  ['ollama on g5.xlarge, budget of a few hundred', 'budget of a few hundred', /\$200\/month/],
  ['k3s on proxmox, 3 servers and 2 gpu', 'and 2', /"3 workers"/],
  ['ollama on g5.xlarge for 5 people', 'for 5', /count/],
  ['ollama on g5.xlarge, budget 300 euros', 'euros', /budget/],
];

describe('nothing silently dropped', () => {
  it.each(UNREAD)('%s: blocked, asking about "%s"', (goal, words, ask) => {
    const out = parseGoal(goal, makeCtx(false));
    if (out.kind !== 'blocked') throw new Error(`expected blocked: ${JSON.stringify(out)}`);
    expect(out.reason).toContain(`I could not read "`);
    expect(out.reason).toMatch(ask);
    expect(out.rationale.join('\n')).toContain(words);
  });

  it('lists unread values beside the reason of a goal blocked for another reason', () => {
    const out = parseGoal('please do something with 7 widgets', makeCtx(false));
    if (out.kind !== 'blocked') throw new Error(JSON.stringify(out));
    expect(out.rationale).toContain('Not understood: "with 7".');
  });

  // Property over the project's corpus: every goal that becomes a plan used every value-like span.
  it('every corpus goal that makes a plan used every value-like span', () => {
    for (const e of corpus) {
      const rr = readWithRules(e.goal, makeCtx(e.ctx === 'stacks', e.stack ? { stack: e.stack } : {}));
      if (rr.result.kind !== 'draft' || !rr.facts) continue;
      expect(findUnreadValues(rr.facts, rr.result.draft.blueprint), e.goal).toEqual([]);
    }
  });
});
