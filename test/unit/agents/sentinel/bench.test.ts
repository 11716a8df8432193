import { describe, expect, it } from 'vitest';
import { benchSentinel, generatePlan } from '../../../../bench/sentinel.js';

describe('benchSentinel', () => {
  it('generates plans of the requested size with mixed types', () => {
    const plan = generatePlan(5_000);
    expect(plan.changes).toHaveLength(5_000);
    expect(new Set(plan.changes.map((c) => c.type)).size).toBe(9);
  });

  // The figures themselves are `npm run bench`'s (timings are not asserted in tests): here the
  // report's shape, so the bench cannot silently stop reporting.
  it('reports a timing line per size and the 10k/5k ratio', async () => {
    const report = await benchSentinel(1);
    expect(report.split('\n')).toHaveLength(3);
    const ratio = Number(/ratio: ([\d.]+)/.exec(report)?.[1]);
    expect(Number.isFinite(ratio) && ratio > 0, report).toBe(true);
  });
});
