import { describe, expect, it } from 'vitest';
import { corpus, mismatches } from './atlas-fixtures.js';

describe('goal corpus', () => {
  it('has at least 150 phrasings across all four blueprints and change requests', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    const blueprints = new Set(corpus.map((e) => e.expect.blueprint).filter(Boolean));
    expect([...blueprints].sort()).toEqual(['asg-schedule', 'aws-spot-ollama', 'dns-record', 'proxmox-k3s']);
    expect(corpus.filter((e) => e.ctx === 'stacks').length).toBeGreaterThanOrEqual(25);
    // Every spec expectation checks more than the blueprint name.
    for (const e of corpus)
      if ((e.expect.kind ?? 'spec') === 'spec') expect(Object.keys(e.expect).length, e.goal).toBeGreaterThan(1);
  });

  it('the parser gets at least 95 % of the key fields exactly right', () => {
    const failures = corpus.map((e) => ({ goal: e.goal, bad: mismatches(e) })).filter((f) => f.bad.length > 0);
    const score = (corpus.length - failures.length) / corpus.length;
    for (const f of failures) console.log(`MISS ${JSON.stringify(f.goal)}\n  ${f.bad.join('\n  ')}`);
    console.log(`corpus score: ${corpus.length - failures.length}/${corpus.length} = ${(score * 100).toFixed(1)} %`);
    expect(score).toBeGreaterThanOrEqual(0.95);
  });
});
