import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { fixture } from '../../../support/load-fixture.js';
import { hits, NOW } from './plan-builder.js';

const INSTANCES = ['aws_instance.by_id', 'aws_instance.by_name'];

describe('aws_instance from a launch template (provider plan)', () => {
  it('takes IMDSv2 and encrypted volumes from the template (by id and by name): CKV_AWS_79 and CKV_AWS_8 pass', () => {
    const result = evaluatePlan(fixture('instance-from-launch-template.json'), { now: NOW });
    expect(hits(result).filter((h) => INSTANCES.some((a) => h.endsWith(`@${a}`)))).toEqual([]);
    expect(result.verdict).toBe('PASS');
  });

  it('prices the instance as the template type with the template volumes', () => {
    const result = evaluatePlan(fixture('instance-from-launch-template.json'), { now: NOW });
    expect(result.cost.unpriced).toEqual([]);
    for (const address of INSTANCES) {
      const r = result.cost.resources.find((x) => x.address === address);
      expect(r?.components.map((c) => [c.name, c.quantity, c.price, c.monthly])).toEqual([
        ['Instance usage (Linux/UNIX, on-demand, t3.medium)', 730, 0.0416, 30.37],
        ['CPU credits (usage-based)', 0, 0.05, 0],
        ['root volume storage (gp3)', 20, 0.08, 1.6],
      ]);
    }
  });

  it('still fails when the template itself lacks IMDSv2 and encryption', () => {
    const plan = fixture('instance-from-launch-template.json');
    const lt = plan.changes.find((r) => r.address === 'aws_launch_template.app');
    lt!.after = { ...lt!.after, metadata_options: [{ http_tokens: 'optional' }], block_device_mappings: [] };
    const result = evaluatePlan(plan, { now: NOW });
    expect(hits(result, 'CKV_AWS_79')).toEqual([
      'CKV_AWS_79@aws_instance.by_id',
      'CKV_AWS_79@aws_instance.by_name',
      'CKV_AWS_79@aws_launch_template.app',
    ]);
    expect(hits(result, 'CKV_AWS_8')).toEqual(['CKV_AWS_8@aws_instance.by_id', 'CKV_AWS_8@aws_instance.by_name']);
  });

  it('an argument the instance sets itself wins over the template', () => {
    const plan = fixture('instance-from-launch-template.json');
    const inst = plan.changes.find((r) => r.address === 'aws_instance.by_id');
    inst!.after = { ...inst!.after, instance_type: 'm6i.large' };
    const conf = plan.configResources.get('aws_instance.by_id');
    conf!.expressions = { ...conf!.expressions, instance_type: { constant_value: 'm6i.large' } };
    const r = evaluatePlan(plan, { now: NOW }).cost.resources.find((x) => x.address === 'aws_instance.by_id');
    expect(r?.components[0]?.name).toBe('Instance usage (Linux/UNIX, on-demand, m6i.large)');
  });
});
