import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { ValidationResult } from '../../../contracts/index.js';
import { CrewMetrics } from '../../../src/observability/crew-metrics.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { parseExposition, valueOf } from '../../support/parse-exposition.js';

const base: PlanRecord = {
  id: 'p-1',
  state: 'PENDING',
  goal: 'g',
  requestedBy: 'alice',
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
  stack: 'ollama-dev',
};
const budget = (ratio: number | null) =>
  ({
    budget: { monthlyUsd: 300, spentUsd: 0, forecastUsd: 270, ratio, brakeRatio: 0.8, brake: false },
  }) as unknown as ValidationResult;

// Event metrics only: no scrape reaches Redis because the gauges read a plan source that fails.
const newMetrics = () =>
  new CrewMetrics({
    redis: {} as Redis,
    plans: { active: () => Promise.reject(new Error('unused')) },
    processMetrics: false,
  });

describe('observePlanTransition', () => {
  it('records tokens leaving DRAFTING, the budget leaving VALIDATING and rollback timings leaving ROLLBACK', async () => {
    const m = newMetrics();
    const spec = { tokens: { prompt: 300, completion: 120 }, stack: 'ollama-dev' } as unknown as PlanRecord['spec'];
    m.observePlanTransition({ ...base, spec }, 'DRAFTING', 'PENDING');
    m.observePlanTransition({ ...base, spec }, 'PENDING', 'IN_PROGRESS');
    m.observePlanTransition({ ...base, validation: budget(0.9) }, 'VALIDATING', 'READY_FOR_APPLY');
    m.observePlanTransition({ ...base, stack: 'other', validation: budget(null) }, 'VALIDATING', 'BLOCKED');
    const rollback = {
      by: 'bob',
      toVersion: 1,
      requestedAt: '2026-11-01T10:00:00Z',
      startedAt: '2026-11-01T10:01:00Z',
      finishedAt: '2026-11-01T10:20:00Z',
    };
    m.observePlanTransition({ ...base, rollback }, 'ROLLBACK', 'ROLLED_BACK');
    const s = parseExposition(await m.metrics());
    expect(valueOf(s, 'crew_llm_tokens_total', { kind: 'prompt' })).toBe(300);
    expect(valueOf(s, 'crew_llm_tokens_total', { kind: 'completion' })).toBe(120);
    expect(valueOf(s, 'crew_budget_ratio', { stack: 'ollama-dev' })).toBe(0.9);
    expect(valueOf(s, 'crew_budget_ratio', { stack: 'other' })).toBeUndefined();
    expect(valueOf(s, 'crew_rollback_begin_seconds_sum')).toBe(60);
    expect(valueOf(s, 'crew_rollback_finish_seconds_sum')).toBe(1200);
    expect(valueOf(s, 'crew_rollback_sla_breaches_total', { phase: 'finish' })).toBe(1);
    expect(valueOf(s, 'crew_plan_transitions_total', { from: 'ROLLBACK', to: 'ROLLED_BACK' })).toBe(1);
    expect(valueOf(s, 'crew_plans_finished_total', { state: 'ROLLED_BACK' })).toBe(1);
    expect(valueOf(s, 'crew_metrics_collect_errors_total')).toBe(1);
  });
});
