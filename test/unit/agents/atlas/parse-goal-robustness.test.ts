import { describe, expect, it } from 'vitest';
import { checkPlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { corpus, makeCtx } from './atlas-fixtures.js';

// A fixed-seed generator, so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('parseGoal robustness', () => {
  it('never throws, and every spec it returns passes checkPlanSpec, on mixed and cut goals', () => {
    const rand = rng(42);
    const goals = corpus.map((e) => e.goal).filter((g) => !g.startsWith('{'));
    for (let i = 0; i < 600; i++) {
      const a = goals[Math.floor(rand() * goals.length)] ?? '';
      const b = goals[Math.floor(rand() * goals.length)] ?? '';
      const mixed = `${a.slice(0, Math.floor(rand() * a.length) + 1)} ${b.slice(Math.floor(rand() * b.length))}`;
      for (const stacks of [false, true]) {
        const out = parseGoal(mixed, makeCtx(stacks));
        if (out.kind === 'spec') expect(checkPlanSpec(out.spec).ok, mixed).toBe(true);
        else expect(out.kind === 'blocked' ? out.reason : out.message, mixed).not.toBe('');
      }
    }
  });

  // No runaway backtracking: each input is timed at 1,000 and at 4,000 characters in the same
  // run, so a loaded machine slows both. Linear reading is about 4×, quadratic 16×; catastrophic
  // backtracking is orders of magnitude beyond the bound. Absolute speed belongs to `npm run bench`.
  it('reads a 4000-character adversarial goal without runaway backtracking', () => {
    const inputs = [
      `${'a.'.repeat(1990)}local`,
      `ollama ${'1.'.repeat(1990)}`,
      `ollama ${'friday 10 '.repeat(395)}`,
      `${'-'.repeat(3990)} ollama`,
      `ollama ${'$1,'.repeat(1300)}`,
      `ollama ${'x:'.repeat(1990)}`,
      `k3s ${'1 with a '.repeat(440)}`,
      `dns ${'ab-'.repeat(1320)}`,
      // Values read early leave runs of blanks that every later reader sees.
      `private Ollama on spot g4dn.xlarge ${' '.repeat(3950)} scale`,
      `private Ollama on spot g4dn.xlarge from ${'10.1.2.3/32 '.repeat(330)}`,
      // What follows a value is read for "must go" / "out of" (values taken away); what precedes it for "remove …".
      `private Ollama on spot g4dn.xlarge ${'1.1.1.1 '.repeat(500)}`,
      `private Ollama on spot g4dn.xlarge, remove ${'g5.xlarge and '.repeat(300)}`,
      `private Ollama on spot g4dn.xlarge, take ${'10.1.2.3/32, '.repeat(330)} out`,
    ];
    const time = (goal: string) => {
      const t0 = performance.now();
      parseGoal(goal, makeCtx(false));
      return performance.now() - t0;
    };
    for (const goal of inputs) {
      time(goal.slice(0, 200)); // warm up the reader's lazy tables
      // The faster of two runs each: one stall of a loaded machine (seen once, 883 ms against 5
      // ms, with builds beside it) is not runaway backtracking, which slows every run.
      const short = Math.min(time(goal.slice(0, 1000)), time(goal.slice(0, 1000)));
      const long = Math.min(time(goal.slice(0, 4000)), time(goal.slice(0, 4000)));
      expect(
        long,
        `${goal.slice(0, 30)}: ${long.toFixed(0)} ms at 4000 chars, ${short.toFixed(0)} ms at 1000`,
      ).toBeLessThan(40 * short + 500);
    }
  });
});
