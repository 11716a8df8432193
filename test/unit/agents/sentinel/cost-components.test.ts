import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUsageFile } from '../../../../src/agents/sentinel/cost/read-usage-file.js';
import { usageFor } from '../../../../src/agents/sentinel/cost/usage-for.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { runCheckCommand } from '../../../../src/cli/check-command.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { fixture, fixturePath } from '../../../support/load-fixture.js';
import { NOW } from './plan-builder.js';

type Row = [string, number, number, number];
const rows = (result: ReturnType<typeof evaluatePlan>, address: string): Row[] | undefined =>
  result.cost.resources
    .find((r) => r.address === address)
    ?.components.map((c): Row => [c.name, c.quantity, c.price, c.monthly]);

const USAGE_PATH = fixturePath('sources/lb-and-usage/usage.yml');
const usageFile = () => {
  const r = parseUsageFile(readFileSync(USAGE_PATH, 'utf8'), USAGE_PATH);
  if (!r.ok) throw new Error(r.reason);
  return r.usage;
};

describe('cost components and families (provider plan)', () => {
  const result = evaluatePlan(fixture('instance-cost-components.json'), { now: NOW });

  it('detailed monitoring is 7 metrics a month; t3 CPU credits are listed as usage-based', () => {
    expect(rows(result, 'aws_instance.monitored')).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, t3.micro)', 730, 0.0104, 7.59],
      ['EC2 detailed monitoring (7 metrics)', 1, 2.1, 2.1],
      ['CPU credits (usage-based)', 0, 0.05, 0],
      ['root volume storage (gp3)', 8, 0.08, 0.64],
    ]);
  });

  it('a previous-generation type with ebs_optimized pays the EBS-optimized fee', () => {
    expect(rows(result, 'aws_instance.old_ebs_optimized')).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, m3.xlarge)', 730, 0.266, 194.18],
      ['EBS-optimized usage (m3.xlarge)', 730, 0.05, 36.5],
      ['root volume storage (gp2)', 10, 0.1, 1],
    ]);
    // t2 runs in standard credit mode unless set to unlimited: no CPU credit component.
    expect(rows(result, 'aws_instance.legacy_t2')?.[0]).toEqual([
      'Instance usage (Linux/UNIX, on-demand, t2.micro)',
      730,
      0.0116,
      8.47,
    ]);
    expect(rows(result, 'aws_instance.legacy_t2')).toHaveLength(2);
  });

  it('dedicated tenancy uses the dedicated price; a dedicated host is priced by family', () => {
    expect(rows(result, 'aws_instance.dedicated')?.[0]).toEqual([
      'Instance usage (Linux/UNIX, on-demand, dedicated, m5.large)',
      730,
      0.106,
      77.38,
    ]);
    expect(rows(result, 'aws_ec2_host.m5')).toEqual([['Dedicated host (m5)', 730, 5.069, 3700.37]]);
  });

  it('a type missing from the price file is reported and its volumes are still priced', () => {
    expect(rows(result, 'aws_instance.unlisted_type')).toEqual([['root volume storage (gp3)', 100, 0.08, 8]]);
    expect(result.cost.unpriced).toEqual([
      {
        address: 'aws_instance.unlisted_type',
        type: 'aws_instance',
        reason: 'no on-demand price for x2iedn.32xlarge in us-east-1 in the price file (the rest is priced)',
      },
    ]);
  });
});

describe('usage-based components and the usage file (provider plan)', () => {
  it('without a usage file they are listed at $0 as usage-based, never dropped', () => {
    const result = evaluatePlan(fixture('lb-and-usage.json'), { now: NOW });
    expect(rows(result, 'aws_nat_gateway.a')?.[1]).toEqual(['Data processed (usage-based)', 0, 0.045, 0]);
    expect(rows(result, 'aws_lb.web')).toEqual([
      ['Load balancer (application)', 730, 0.0225, 16.43],
      ['Capacity units (usage-based)', 0, 0.008, 0],
    ]);
    expect(rows(result, 'aws_alb.legacy')?.[1]).toEqual(['Capacity units (usage-based)', 0, 0.006, 0]);
    expect(rows(result, 'aws_cloudwatch_log_group.app')?.map((r) => r[0])).toEqual([
      'Data ingested (usage-based)',
      'Archival storage (usage-based)',
      'Insights queries data scanned (usage-based)',
    ]);
    expect(result.cost.notes).toContain(
      'aws_nat_gateway.a: Data processed is usage-based, $0.045/GB; 0 without a usage file',
    );
  });

  it('prices them from an Infracost usage file, wildcards included', () => {
    const result = evaluatePlan(fixture('lb-and-usage.json'), { now: NOW, usage: usageFile() });
    for (const nat of ['aws_nat_gateway.a', 'aws_nat_gateway.b'])
      expect(rows(result, nat)?.[1]).toEqual(['Data processed', 100, 0.045, 4.5]);
    // max(50/25 new, 3000/3000 active, 730 GB/730 h, 100/1000 rules) = 2 LCU every hour.
    expect(rows(result, 'aws_lb.web')?.[1]).toEqual(['Capacity units', 1460, 0.008, 11.68]);
    expect(rows(result, 'aws_cloudwatch_log_group.app')).toEqual([
      ['Data ingested', 50, 0.5, 25],
      ['Archival storage', 200, 0.03, 6],
      ['Insights queries data scanned (usage-based)', 0, 0.005, 0],
    ]);
    expect(rows(result, 'aws_instance.burst')?.slice(0, 2)).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, t3.medium)', 365, 0.0416, 15.18],
      ['CPU credits', 200, 0.05, 10],
    ]);
  });

  it('reads the format: version 0.1, exact over wildcard over type default, bad values named', () => {
    const r = parseUsageFile(
      [
        'version: 0.1',
        'resource_type_default_usage:',
        '  aws_nat_gateway: { monthly_data_processed_gb: 1 }',
        'resource_usage:',
        '  module.net[*].aws_nat_gateway.this: { monthly_data_processed_gb: 2 }',
        '  aws_nat_gateway.main: { monthly_data_processed_gb: 3 }',
        '  aws_instance.win: { operating_system: windows }',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(usageFor(r.usage, 'aws_nat_gateway.main', 'aws_nat_gateway')).toEqual({ monthly_data_processed_gb: 3 });
    expect(usageFor(r.usage, 'module.net[0].aws_nat_gateway.this', 'aws_nat_gateway').monthly_data_processed_gb).toBe(
      2,
    );
    expect(usageFor(r.usage, 'aws_nat_gateway.other', 'aws_nat_gateway').monthly_data_processed_gb).toBe(1);
    expect(parseUsageFile('version: 2\nresource_usage: {}', 'u.yml')).toEqual({
      ok: false,
      reason: 'u.yml: version 2 is not supported (expected 0.1)',
    });
    expect(parseUsageFile('version: 0.1\nresource_usage:\n  aws_lb.x: { new_connections: -1 }', 'u.yml')).toEqual({
      ok: false,
      reason: 'u.yml: resource_usage.aws_lb.x.new_connections must be a number of at least 0',
    });
  });

  it('crew check --usage-file uses it; CREW_USAGE_FILE is read into the config', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    expect(await runCheckCommand(fixturePath('lb-and-usage.json'), { json: true, usageFile: USAGE_PATH }, io)).toBe(0);
    const cost = (JSON.parse(out.join('')) as ReturnType<typeof evaluatePlan>).cost;
    expect(cost.resources.find((r) => r.address === 'aws_nat_gateway.a')?.monthlyUsd).toBe(37.35);
    expect(await runCheckCommand(fixturePath('lb-and-usage.json'), { usageFile: '/nonexistent.yml' }, io)).toBe(1);
    expect(readConfig({ CREW_USAGE_FILE: '/etc/crew/infracost-usage.yml' }).usageFile).toBe(
      '/etc/crew/infracost-usage.yml',
    );
  });
});
