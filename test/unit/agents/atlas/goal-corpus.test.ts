import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkPlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { corpus, makeCtx, pick } from './atlas-fixtures.js';

/** Compares one entry's key fields; null in an expectation means "absent". */
function mismatches(entry: (typeof corpus)[number]): string[] {
  const ctx = makeCtx(entry.ctx === 'stacks', entry.stack ? { stack: entry.stack } : {});
  const out = parseGoal(entry.goal, ctx);
  const { kind = 'spec', ...fields } = entry.expect;
  if (out.kind !== kind) return [`kind ${out.kind} (want ${String(kind)}): ${JSON.stringify(out).slice(0, 300)}`];
  if (out.kind !== 'spec') return [];
  const bad: string[] = [];
  if (!checkPlanSpec(out.spec).ok) bad.push('spec fails checkPlanSpec');
  for (const [path, want] of Object.entries(fields)) {
    const got = pick(out.spec, path);
    if (!isDeepStrictEqual(got ?? null, want))
      bad.push(`${path} = ${JSON.stringify(got)} (want ${JSON.stringify(want)})`);
  }
  return bad;
}

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
