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

describe('weighted_capacity in mixed-instances overrides (provider plan)', () => {
  it('prices capacity units ÷ weight instances: desired 4 at weight 2 is 2 × g4dn.2xlarge', () => {
    const { result, resource } = costOf('asg-weighted-capacity.json', 'aws_autoscaling_group.weighted');
    expect(resource?.components.map((c) => [c.name, c.quantity, c.price, c.monthly])).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, g4dn.2xlarge)', 1460, 0.752, 1097.92],
    ]);
    expect(result.cost.notes).toContain(
      'aws_autoscaling_group.weighted: 4 capacity unit(s) at weighted_capacity 2 = 2 g4dn.2xlarge instance(s)',
    );
  });

  it('splits on-demand and Spot in capacity units before dividing by the weight', () => {
    const plan = fixture('asg-weighted-capacity.json');
    const asg = plan.changes.find((r) => r.address === 'aws_autoscaling_group.weighted');
    const policy = (asg?.after?.mixed_instances_policy as Record<string, unknown>[])[0];
    policy!.instances_distribution = [{ on_demand_base_capacity: 2, on_demand_percentage_above_base_capacity: 0 }];
    const resource = evaluatePlan(plan, { now: NOW }).cost.resources[0];
    expect(resource?.components.map((c) => [c.name, c.quantity])).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, g4dn.2xlarge)', 730],
      ['Instance usage (Linux/UNIX, spot, g4dn.2xlarge)', 730],
    ]);
  });
});
