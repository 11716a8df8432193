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

  it('reads a 4000-character adversarial goal quickly', () => {
    const inputs = [
      `${'a.'.repeat(1990)}local`,
      `ollama ${'1.'.repeat(1990)}`,
      `ollama ${'friday 10 '.repeat(395)}`,
      `${'-'.repeat(3990)} ollama`,
      `ollama ${'$1,'.repeat(1300)}`,
      `ollama ${'x:'.repeat(1990)}`,
      `k3s ${'1 with a '.repeat(440)}`,
      `dns ${'ab-'.repeat(1320)}`,
    ];
    for (const goal of inputs) {
      const t0 = performance.now();
      parseGoal(goal.slice(0, 4000), makeCtx(false));
      expect(performance.now() - t0, goal.slice(0, 30)).toBeLessThan(1000);
    }
  });
});
