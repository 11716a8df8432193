import type { ResourceChange } from '../../src/slack/render/render-review.js';
import type { PlanRecord } from '../../src/plan/plan-record.js';

/** A plan waiting for approval with many findings and changes: more than one message holds. */
export function bigPlan(
  findings: number,
  changes: number,
  id = 'p-bigplan1',
): { plan: PlanRecord; changes: ResourceChange[] } {
  const plan: PlanRecord = {
    id,
    state: 'WAIT_FOR_APPROVE',
    goal: 'private Ollama on spot g4dn.xlarge, stack ollama-big',
    requestedBy: 'U0ALICE',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    stack: 'ollama-big',
    planSha256: 'b'.repeat(64),
    expiresAt: '2026-11-01T01:00:00.000Z',
    summary: { create: changes, update: 0, replace: 0, delete: 0, noop: 0 },
    validation: {
      verdict: 'PASS',
      findings: Array.from({ length: findings }, (_, i) => ({
        ruleId: 'CREW_SG_DESCRIPTION',
        severity: 'LOW' as const,
        address: `aws_security_group.rule_${i}`,
        message: `rule ${i} has no description `.repeat(4),
      })),
      cost: { monthlyUsd: 123.45, previousMonthlyUsd: 0, diffMonthlyUsd: 123.45, resources: [], unpriced: [] },
      budget: { monthlyUsd: 300, spentUsd: 0, forecastUsd: 123.45, ratio: 0.41, brakeRatio: 0.8, brake: false },
    },
  };
  return {
    plan,
    changes: Array.from({ length: changes }, (_, i) => ({ address: `aws_instance.node_${i}`, actions: ['create'] })),
  };
}
