import { describe, expect, it } from 'vitest';
import { computeScheduledHours } from '../../../../src/agents/sentinel/cost/compute-scheduled-hours.js';
import type { ScheduleView } from '../../../../src/agents/sentinel/rules/link-schedules.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { evaluate, NOW, type ChangeSpec } from './plan-builder.js';
import { fixture } from '../../../support/load-fixture.js';

const lt: ChangeSpec = {
  address: 'aws_launch_template.ollama',
  after: {
    id: 'lt-1',
    name: 'ollama',
    instance_type: 'g4dn.xlarge',
    block_device_mappings: [],
    network_interfaces: [],
    metadata_options: [{ http_tokens: 'required' }],
  },
};
const asg = (over: Record<string, unknown> = {}): ChangeSpec => ({
  address: 'aws_autoscaling_group.ollama',
  after: {
    name: 'ollama-dev',
    min_size: 0,
    max_size: 2,
    desired_capacity: 2,
    launch_template: [{ id: 'lt-1', version: '1' }],
    mixed_instances_policy: [],
    ...over,
  },
});
const sched = (key: string, recurrence: string, desired: number, tz = 'America/New_York'): ChangeSpec => ({
  address: `aws_autoscaling_schedule.${key}`,
  after: {
    autoscaling_group_name: 'ollama-dev',
    recurrence,
    time_zone: tz,
    min_size: 0,
    max_size: desired,
    desired_capacity: desired,
  },
});
const weekend = [sched('stop', '0 22 * * 5', 0), sched('start', '0 7 * * 1', 2)];
const spotPolicy = (base: number, pct: number) => ({
  launch_template: [],
  mixed_instances_policy: [
    {
      instances_distribution: [{ on_demand_base_capacity: base, on_demand_percentage_above_base_capacity: pct }],
      launch_template: [
        {
          launch_template_specification: [{ launch_template_id: 'lt-1', version: '1' }],
          override: [{ instance_type: 'g4dn.xlarge' }],
        },
      ],
    },
  ],
});
const asgCost = (r: ReturnType<typeof evaluate>) =>
  r.cost.resources.find((x) => x.address === 'aws_autoscaling_group.ollama');

describe('cost: sentinel-facts examples', () => {
  it('2 × g4dn.xlarge on-demand at 730 h = $767.96', () => {
    const r = evaluate([lt, asg()]);
    expect(asgCost(r)?.monthlyUsd).toBe(767.96);
    expect(asgCost(r)?.components).toEqual([
      {
        name: 'Instance usage (Linux/UNIX, on-demand, g4dn.xlarge)',
        unit: 'hours',
        quantity: 1460,
        price: 0.526,
        monthly: 767.96,
      },
    ]);
    expect(r.cost.monthlyUsd).toBe(767.96);
    expect(r.cost.previousMonthlyUsd).toBe(0);
    expect(r.cost.diffMonthlyUsd).toBe(767.96);
  });

  it('Fri 22:00 → Mon 07:00 off = 111 h/week ≈ 482 h/month ≈ $507.40', () => {
    const r = evaluate([lt, asg(), ...weekend]);
    expect(asgCost(r)?.components[0]?.quantity).toBeCloseTo(2 * ((111 * 730) / 168), 2);
    expect(asgCost(r)?.monthlyUsd).toBeCloseTo(507.4, 2);
    expect(r.cost.notes).toContain(
      'aws_autoscaling_group.ollama: runs 111.0 h/week per its scheduled actions = 482.3 h/month instead of 730',
    );
  });

  it('with the 65 % default Spot discount on top ≈ $177.59, and says the default was used', () => {
    const r = evaluate([lt, asg(spotPolicy(0, 0)), ...weekend]);
    expect(asgCost(r)?.components.map((c) => c.name)).toEqual(['Instance usage (Linux/UNIX, spot, g4dn.xlarge)']);
    expect(asgCost(r)?.monthlyUsd).toBeCloseTo(177.59, 2);
    expect(r.cost.notes?.some((n) => n.startsWith('Spot for g4dn.xlarge priced at on-demand × (1 − 0.65)'))).toBe(true);
  });

  it('live Spot prices override the default discount; the discount is configurable', () => {
    expect(asgCost(evaluate([lt, asg(spotPolicy(0, 0))], { spotPrices: { 'g4dn.xlarge': 0.2 } }))?.monthlyUsd).toBe(
      292,
    );
    expect(asgCost(evaluate([lt, asg(spotPolicy(0, 0))], { spotDiscount: 0.5 }))?.monthlyUsd).toBe(383.98);
  });

  it('mixed instances: on-demand = base + ceil((N − base) × pct / 100)', () => {
    const r = evaluate([lt, asg({ ...spotPolicy(1, 50), desired_capacity: 4 })], {
      spotPrices: { 'g4dn.xlarge': 0.2 },
    });
    // 1 + ceil(3 × 0.5) = 3 on-demand, 1 Spot.
    expect(asgCost(r)?.components.map((c) => [c.name, c.quantity])).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, g4dn.xlarge)', 2190],
      ['Instance usage (Linux/UNIX, spot, g4dn.xlarge)', 730],
    ]);
    expect(asgCost(r)?.monthlyUsd).toBe(1297.94);
  });

  it('count falls back to min_size, then 1', () => {
    expect(asgCost(evaluate([lt, asg({ desired_capacity: null, min_size: 3 })]))?.components[0]?.quantity).toBe(2190);
    expect(asgCost(evaluate([lt, asg({ desired_capacity: null, min_size: null })]))?.components[0]?.quantity).toBe(730);
  });

  it('time zones: the same wall-clock schedule in two zones gives the same hours', () => {
    const views = (tz: string, tz2: string): ScheduleView[] => [
      {
        resource: { address: 'a' } as ScheduleView['resource'],
        values: {},
        recurrence: '0 22 * * 5',
        timeZone: tz,
        desired: 0,
        min: 0,
        max: 0,
      },
      {
        resource: { address: 'b' } as ScheduleView['resource'],
        values: {},
        recurrence: '0 7 * * 1',
        timeZone: tz2,
        desired: 2,
        min: 0,
        max: 2,
      },
    ];
    expect(computeScheduledHours(views('Europe/Paris', 'Europe/Paris'), 2, NOW, 730)?.weeklyHours).toBe(111);
    // Stop at 22:00 Paris (21:00 UTC in November), start 07:00 New York (12:00 UTC): 111 + 6 h.
    expect(computeScheduledHours(views('Europe/Paris', 'America/New_York'), 2, NOW, 730)?.weeklyHours).toBe(105);
  });
});

describe('cost: instances, volumes, network', () => {
  it('aws_instance with instance_market_options spot is priced as Spot, with root volume and public IP', () => {
    const r = evaluate([
      {
        address: 'aws_instance.gpu',
        after: {
          instance_type: 'g4dn.xlarge',
          instance_market_options: [{ market_type: 'spot' }],
          associate_public_ip_address: true,
          root_block_device: [{ volume_size: 50, volume_type: 'gp3' }],
          ebs_block_device: [],
        },
      },
    ]);
    expect(r.cost.resources[0]?.components).toEqual([
      {
        name: 'Instance usage (Linux/UNIX, spot, g4dn.xlarge)',
        unit: 'hours',
        quantity: 730,
        price: 0.1841,
        monthly: 134.39,
      },
      { name: 'root volume storage (gp3)', unit: 'GB', quantity: 50, price: 0.08, monthly: 4 },
      { name: 'Public IPv4 address', unit: 'hours', quantity: 730, price: 0.005, monthly: 3.65 },
    ]);
  });

  it('gp3 IOPS above 3000 and throughput above 125 MBps', () => {
    const r = evaluate([
      {
        address: 'aws_ebs_volume.models',
        after: { size: 100, type: 'gp3', iops: 4000, throughput: 250, encrypted: true },
      },
    ]);
    expect(r.cost.resources[0]?.components.map((c) => [c.name, c.quantity, c.monthly])).toEqual([
      ['storage (gp3)', 100, 8],
      ['provisioned IOPS above 3000 (gp3)', 1000, 5],
      ['throughput above 125 MBps (gp3)', 125, 5],
    ]);
    expect(r.cost.monthlyUsd).toBe(18);
  });

  it('launch template volumes × instance count × running share', () => {
    const withDisk = {
      ...lt,
      after: {
        ...lt.after,
        block_device_mappings: [{ ebs: [{ volume_size: 100, volume_type: 'gp3', encrypted: 'true' }] }],
      },
    };
    expect(asgCost(evaluate([withDisk, asg()]))?.components[1]).toEqual({
      name: 'volume storage (gp3)',
      unit: 'GB',
      quantity: 200,
      price: 0.08,
      monthly: 16,
    });
  });

  it('NAT gateway and EIP, past/new/diff for an update', () => {
    const r = evaluate([
      { address: 'aws_nat_gateway.main', after: { connectivity_type: 'public' } },
      { address: 'aws_eip.nat', after: { domain: 'vpc' } },
      {
        address: 'aws_instance.app',
        actions: ['update'],
        before: { instance_type: 't3.medium', root_block_device: [{ volume_size: 8, volume_type: 'gp3' }] },
        after: { instance_type: 't3.large', root_block_device: [{ volume_size: 8, volume_type: 'gp3' }] },
      },
    ]);
    const app = r.cost.resources.find((x) => x.address === 'aws_instance.app');
    expect([app?.previousMonthlyUsd, app?.monthlyUsd]).toEqual([31.01, 61.38]);
    expect(r.cost.resources.find((x) => x.address === 'aws_nat_gateway.main')?.monthlyUsd).toBe(32.85);
    expect(r.cost.resources.find((x) => x.address === 'aws_eip.nat')?.monthlyUsd).toBe(3.65);
    expect([r.cost.previousMonthlyUsd, r.cost.monthlyUsd, r.cost.diffMonthlyUsd]).toEqual([31.01, 97.88, 66.87]);
  });

  it('a delete lowers the new total and the diff is negative', () => {
    const r = evaluate([
      { address: 'aws_ebs_volume.old', actions: ['delete'], before: { size: 50, type: 'gp2' }, after: null },
    ]);
    expect([r.cost.previousMonthlyUsd, r.cost.monthlyUsd, r.cost.diffMonthlyUsd]).toEqual([5, 0, -5]);
  });

  it('lists what it cannot price, never drops it', () => {
    const r = evaluate([
      { address: 'aws_elb.api', after: { name: 'api' } },
      { address: 'aws_instance.x', after: {}, afterUnknown: { instance_type: true } },
      { address: 'aws_instance.y', after: { instance_type: 'x2iedn.32xlarge' } },
      { address: 'aws_vpc.main', after: { cidr_block: '10.0.0.0/16' } },
    ]);
    expect(r.cost.unpriced).toEqual([
      { address: 'aws_elb.api', type: 'aws_elb', reason: 'no price model for aws_elb' },
      { address: 'aws_instance.x', type: 'aws_instance', reason: 'instance_type is unknown until apply' },
      {
        address: 'aws_instance.y',
        type: 'aws_instance',
        reason: 'no on-demand price for x2iedn.32xlarge in us-east-1 in the price file (the rest is priced)',
      },
    ]);
    // The instance whose type is missing is still listed with its root volume.
    expect(r.cost.resources.map((x) => [x.address, x.monthlyUsd])).toEqual([['aws_instance.y', 0.8]]);
  });

  it('prices eu-west-1 from its own table, and lists every resource as unpriced in an unknown region', () => {
    expect(asgCost(evaluate([lt, asg()], {}, { region: 'eu-west-1' }))?.monthlyUsd).toBe(857.02);
    const r = evaluate([lt, asg()], {}, { region: 'ap-south-2' });
    expect(r.cost.unpriced.map((u) => u.address)).toEqual(['aws_autoscaling_group.ollama']);
    expect(r.cost.unpriced[0]?.reason).toMatch(/^no prices for region ap-south-2/);
  });

  it('the fixture stack: spot ASG off at weekends + NAT + EIP', () => {
    const r = evaluatePlan(fixture('aws-spot-ollama-pass.json'), { now: NOW });
    expect(r.cost.resources.map((x) => [x.address, x.monthlyUsd])).toEqual([
      ['aws_autoscaling_group.ollama', 188.16],
      ['aws_eip.nat', 3.65],
      ['aws_nat_gateway.main', 32.85],
    ]);
    expect(r.cost.monthlyUsd).toBe(224.66);
  });
});

describe('cost: the totals a review shows add up', () => {
  const TYPES = ['t3.medium', 't3.large', 'g4dn.xlarge', 'g5.xlarge', 'g5.2xlarge', 'm5.large', 'c5.xlarge'];
  it('was + difference = now, to the cent, for every change of instance type and count', () => {
    const wrong: string[] = [];
    for (const from of TYPES)
      for (const to of TYPES)
        for (const count of [1, 2, 3]) {
          const instances = (type: string): ChangeSpec[] =>
            Array.from({ length: count }, (_, i) => ({
              address: `aws_instance.app${i}`,
              actions: ['update'],
              before: { instance_type: from, root_block_device: [{ volume_size: 8, volume_type: 'gp3' }] },
              after: { instance_type: type, root_block_device: [{ volume_size: 9, volume_type: 'gp3' }] },
            }));
          const c = evaluate(instances(to)).cost;
          if (Math.round((c.previousMonthlyUsd + c.diffMonthlyUsd) * 100) !== Math.round(c.monthlyUsd * 100))
            wrong.push(`${count} × ${from} → ${to}: ${c.previousMonthlyUsd} + ${c.diffMonthlyUsd} ≠ ${c.monthlyUsd}`);
        }
    expect(wrong).toEqual([]);
  });
});
