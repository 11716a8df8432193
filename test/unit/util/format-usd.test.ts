import { describe, expect, it } from 'vitest';
import { summarizeFindings } from '../../../src/conductor/summarize-findings.js';
import { planText } from '../../../src/plan/render-plan.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { signedUsd, usd } from '../../../src/util/format-usd.js';
import type { ValidationResult } from '../../../contracts/index.js';

describe('amounts in dollars', () => {
  it('put the sign before the dollar sign, and a difference always has one', () => {
    expect([usd(142.391), usd(0), usd(-48.31)]).toEqual(['$142.39', '$0.00', '-$48.31']);
    expect([signedUsd(142.39), signedUsd(0), signedUsd(-48.31)]).toEqual(['+$142.39', '+$0.00', '-$48.31']);
  });

  it("read so in a cut's review and its summary", () => {
    const validation: ValidationResult = {
      verdict: 'PASS',
      findings: [],
      cost: { monthlyUsd: 94.08, previousMonthlyUsd: 142.39, diffMonthlyUsd: -48.31, resources: [] },
      budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 94.08, ratio: null, brakeRatio: 0.8, brake: false },
    } as unknown as ValidationResult;
    expect(summarizeFindings(validation)).toContain('$94.08/month (-$48.31)');
    const plan = {
      id: 'p-cut00001',
      goal: 'add a weekend schedule to fin-a',
      requestedBy: 'alice',
      state: 'WAIT_FOR_APPROVE',
      createdAt: '2026-12-04T21:58:00.000Z',
      updatedAt: '2026-12-04T21:58:00.000Z',
      validation,
    } as unknown as PlanRecord;
    expect(planText(plan)).toContain('cost:      $94.08/month (was $142.39, -$48.31)');
  });
});
