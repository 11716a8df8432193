import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { fixture } from '../../../support/load-fixture.js';
import { NOW } from './plan-builder.js';

const costOf = (name: string, address: string) => {
  const result = evaluatePlan(fixture(name), { now: NOW });
  return { result, resource: result.cost.resources.find((r) => r.address === address) };
};

describe('ASG on a launch configuration (provider plan)', () => {
  it('prices the group from its launch configuration, not from the unrelated launch template', () => {
    const { result, resource } = costOf('asg-launch-configuration.json', 'aws_autoscaling_group.small');
    expect(resource?.components.map((c) => [c.name, c.quantity, c.price, c.monthly])).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, t3.micro)', 1460, 0.0104, 15.18],
      ['root volume storage (gp3)', 20, 0.08, 1.6],
    ]);
    expect(resource?.monthlyUsd).toBe(16.78);
    expect(result.cost.notes?.join('\n')).not.toMatch(/only one in the plan/);
  });

  it('leaves a group whose launch source is not in the plan unpriced instead of guessing', () => {
    const plan = fixture('asg-launch-configuration.json');
    plan.changes = plan.changes.filter((r) => r.type !== 'aws_launch_configuration');
    plan.configResources.delete('aws_launch_configuration.small');
    const result = evaluatePlan(plan, { now: NOW });
    expect(result.cost.resources.find((r) => r.address === 'aws_autoscaling_group.small')).toBeUndefined();
    expect(result.cost.unpriced).toContainEqual({
      address: 'aws_autoscaling_group.small',
      type: 'aws_autoscaling_group',
      reason: 'the launch template or launch configuration it uses is not in the plan',
    });
  });
});
