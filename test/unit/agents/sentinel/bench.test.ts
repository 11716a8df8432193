import { describe, expect, it } from 'vitest';
import { benchSentinel, generatePlan } from '../../../../bench/sentinel.js';

describe('benchSentinel', () => {
  it('generates plans of the requested size with mixed types', () => {
    const plan = generatePlan(5_000);
    expect(plan.changes).toHaveLength(5_000);
    expect(new Set(plan.changes.map((c) => c.type)).size).toBe(9);
  });

  it('reports timings and a near-linear 10k/5k ratio', async () => {
    const report = await benchSentinel(3);
    expect(report.split('\n')).toHaveLength(3);
    const ratio = Number(/ratio: ([\d.]+)/.exec(report)?.[1]);
    // Linear is 2.0; quadratic would be 4.0. Leave room for a noisy CI machine.
    expect(ratio).toBeGreaterThan(1.0);
    expect(ratio).toBeLessThan(3.5);
  });
});
