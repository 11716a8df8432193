import { describe, expect, it } from 'vitest';
import { planText } from '../../../../src/plan/render-plan.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import { renderReview } from '../../../../src/slack/render/render-review.js';
import { evaluate, type ChangeSpec } from './plan-builder.js';

// A group of an instance type the price file does not have (p4d.24xlarge): its cost cannot be in
// the total, and the review must say so where the cost is read, not leave "$0.00" to speak.

const group = (type: string): ChangeSpec[] => [
  {
    address: 'aws_launch_template.ollama',
    after: { id: 'lt-1', name: 'ollama', instance_type: type, metadata_options: [{ http_tokens: 'required' }] },
  },
  {
    address: 'aws_autoscaling_group.ollama',
    after: {
      name: 'ollama-big',
      min_size: 0,
      max_size: 2,
      desired_capacity: 2,
      launch_template: [{ id: 'lt-1', version: '1' }],
      mixed_instances_policy: [],
    },
  },
];

const unpricedFindings = (r: ReturnType<typeof evaluate>) =>
  r.findings.filter((f) => f.ruleId === 'CREW_COST_UNPRICED');

describe('compute the cost model cannot price', () => {
  it('is a MEDIUM finding naming the resource and why, and the brake that cannot see it', () => {
    const r = evaluate(group('p4d.24xlarge'), { budgetUsd: 300 });
    expect(r.cost.monthlyUsd).toBe(0);
    expect(unpricedFindings(r)).toEqual([
      {
        ruleId: 'CREW_COST_UNPRICED',
        severity: 'MEDIUM',
        address: 'aws_autoscaling_group.ollama',
        message:
          'not priced: no on-demand price for p4d.24xlarge in us-east-1 in the price file; its cost is not in the estimate and the budget brake cannot see it: price it before approving',
      },
    ]);
    // Not blocking (MEDIUM, above): the approver prices it.
    expect(unpricedFindings(evaluate(group('p4d.24xlarge')))[0]?.message).not.toContain('budget brake');
  });

  it('is not raised for a priced type', () => {
    const r = evaluate(group('g5.xlarge'), { budgetUsd: 3000 });
    expect(r.cost.monthlyUsd).toBeGreaterThan(0);
    expect(unpricedFindings(r)).toEqual([]);
  });

  it('is not raised for the multi-GPU sizes, priced in each region the file has them', () => {
    // 2 on-demand instances all month: the file's hourly price × 730 × 2.
    const priced = (type: string, region: string, hourly: number) => {
      const r = evaluate(group(type), { budgetUsd: 100_000 }, { region });
      expect(unpricedFindings(r), `${type} in ${region}`).toEqual([]);
      expect(r.cost.monthlyUsd, `${type} in ${region}`).toBeCloseTo(hourly * 730 * 2, 1);
    };
    priced('g5.12xlarge', 'us-east-1', 5.672);
    priced('g4dn.12xlarge', 'us-west-2', 3.912);
    priced('g6.48xlarge', 'us-east-1', 13.3504);
    // Scaled by the family's own xlarge ratio in the region (g5: 1.123 / 1.006).
    priced('g5.48xlarge', 'eu-west-1', 18.182);
    // g6 is priced in the two US regions only: said, not $0.00.
    const g6eu = evaluate(group('g6.12xlarge'), { budgetUsd: 100_000 }, { region: 'eu-central-1' });
    expect(unpricedFindings(g6eu)[0]?.message).toContain('no on-demand price for g6.12xlarge in eu-central-1');
  });

  it('is said beside the cost in the CLI review and the Slack review', () => {
    const validation = evaluate(group('p4d.24xlarge'), { budgetUsd: 300 });
    const plan = {
      id: 'p-unpriced1',
      goal: 'private Ollama with 16 GPUs on p4d.24xlarge',
      requestedBy: 'alice',
      state: 'WAIT_FOR_APPROVE',
      createdAt: '2026-12-04T23:50:00.000Z',
      updatedAt: '2026-12-04T23:50:00.000Z',
      stack: 'gpu-big',
      validation,
    } as unknown as PlanRecord;
    const line = `1 resource(s) not in the total: aws_autoscaling_group.ollama (${validation.cost.unpriced[0]?.reason})`;
    expect(planText(plan)).toContain(`  not priced: ${line}`);
    expect(JSON.stringify(renderReview(plan, []).blocks)).toContain(`:warning: *Not priced:* ${line}`);
  });
});
