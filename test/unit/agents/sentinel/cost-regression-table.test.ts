import { describe, expect, it } from 'vitest';
import { PRICERS } from '../../../../src/agents/sentinel/cost/estimate-cost.js';
import { PRICE_BOOK } from '../../../../src/agents/sentinel/cost/load-prices.js';
import { evaluate, type ChangeSpec } from './plan-builder.js';

// One row per resource type Sentinel prices (us-east-1): its first component's hourly (or
// monthly) price from the price file and the monthly figure at 730 h. A price file change that
// moves a figure fails here, on purpose: update the row with the file's new date and source.
interface Row {
  type: string;
  after: Record<string, unknown>;
  component: string;
  price: number;
  monthly: number;
}

const SMALL_ROOT = { root_block_device: [{ volume_type: 'gp3', volume_size: 8 }] };
const ROWS: Row[] = [
  {
    type: 'aws_instance',
    after: { instance_type: 't3.medium', ...SMALL_ROOT },
    component: 'Instance usage (Linux/UNIX, on-demand, t3.medium)',
    price: 0.0416,
    monthly: 30.37,
  },
  {
    type: 'aws_instance',
    after: { instance_type: 't2.micro', ...SMALL_ROOT },
    component: 'Instance usage (Linux/UNIX, on-demand, t2.micro)',
    price: 0.0116,
    monthly: 8.47,
  },
  {
    type: 'aws_instance',
    after: { instance_type: 'r3.large', ...SMALL_ROOT },
    component: 'Instance usage (Linux/UNIX, on-demand, r3.large)',
    price: 0.166,
    monthly: 121.18,
  },
  {
    type: 'aws_instance',
    after: { instance_type: 'g4dn.xlarge', ...SMALL_ROOT },
    component: 'Instance usage (Linux/UNIX, on-demand, g4dn.xlarge)',
    price: 0.526,
    monthly: 383.98,
  },
  {
    type: 'aws_spot_instance_request',
    after: { instance_type: 'm6i.large', ...SMALL_ROOT },
    component: 'Instance usage (Linux/UNIX, spot, m6i.large)',
    price: 0.0336,
    monthly: 24.53,
  },
  {
    type: 'aws_autoscaling_group',
    after: { desired_capacity: 1, launch_template: [{ id: 'lt-1', version: '1' }] },
    component: 'Instance usage (Linux/UNIX, on-demand, c6i.large)',
    price: 0.085,
    monthly: 62.05,
  },
  { type: 'aws_ebs_volume', after: { size: 100, type: 'gp3' }, component: 'storage (gp3)', price: 0.08, monthly: 8 },
  { type: 'aws_nat_gateway', after: {}, component: 'NAT gateway', price: 0.045, monthly: 32.85 },
  { type: 'aws_eip', after: {}, component: 'Public IPv4 address', price: 0.005, monthly: 3.65 },
  { type: 'aws_route53_zone', after: { name: 'example.com' }, component: 'Hosted zone', price: 0.5, monthly: 0.5 },
  {
    type: 'aws_lb',
    after: { load_balancer_type: 'application' },
    component: 'Load balancer (application)',
    price: 0.0225,
    monthly: 16.43,
  },
  {
    type: 'aws_alb',
    after: { load_balancer_type: 'network' },
    component: 'Load balancer (network)',
    price: 0.0225,
    monthly: 16.43,
  },
  {
    type: 'aws_ec2_host',
    after: { instance_family: 'r5' },
    component: 'Dedicated host (r5)',
    price: 6.653,
    monthly: 4856.69,
  },
  {
    type: 'aws_cloudwatch_log_group',
    after: { name: '/app' },
    component: 'Data ingested (usage-based)',
    price: 0.5,
    monthly: 0,
  },
];
const TEMPLATE: ChangeSpec = { address: 'aws_launch_template.t', after: { id: 'lt-1', instance_type: 'c6i.large' } };

describe('cost regression table (us-east-1)', () => {
  it.each(ROWS.map((r) => [r.type, r.component, r] as const))('%s: %s', (type, _name, row) => {
    const result = evaluate([TEMPLATE, { address: `${type}.x`, after: row.after }], { spotDiscount: 0.65 });
    const c = result.cost.resources.find((r) => r.address === `${type}.x`)?.components[0];
    expect(c).toMatchObject({ name: row.component, price: row.price, monthly: row.monthly });
  });

  it('every resource type Sentinel prices has a row', () => {
    expect([...new Set(ROWS.map((r) => r.type))].sort()).toEqual([...PRICERS.keys()].sort());
  });

  it('the price file is dated and says where each figure comes from', () => {
    expect(PRICE_BOOK.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICE_BOOK.hoursPerMonth).toBe(730);
    expect(PRICE_BOOK.sources.length).toBeGreaterThanOrEqual(10);
    for (const s of PRICE_BOOK.sources)
      expect(s).toMatch(/^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//);
    for (const page of [
      'ec2/pricing/on-demand',
      'ebs/pricing',
      'vpc/pricing',
      'route53/pricing',
      'elasticloadbalancing/pricing',
      'cloudwatch/pricing',
      'dedicated-hosts/pricing',
      'dedicated-instances',
    ])
      expect(PRICE_BOOK.sources.some((s) => s.includes(page))).toBe(true);
    const east = PRICE_BOOK.regions['us-east-1'];
    expect(east?.ec2['t3.medium']).toBe(0.0416);
    expect(east?.natGateway).toEqual({ hour: 0.045, gb: 0.045 });
    expect(east?.loadBalancer?.application).toEqual({ hour: 0.0225, lcuHour: 0.008 });
    expect(east?.detailedMonitoringMonth).toBe(2.1);
  });
});
