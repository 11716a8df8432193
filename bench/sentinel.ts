import { performance } from 'node:perf_hooks';
import { evaluatePlan } from '../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../src/agents/sentinel/plan/read-plan.js';
import type { ParsedPlan } from '../src/agents/sentinel/plan/plan-types.js';

// Sentinel must stay linear in plan size: 10k changes should take about twice as long as 5k.

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** A cloud-shaped plan with `n` resource changes across ten resource types. */
export function generatePlan(n: number): ParsedPlan {
  const changes: unknown[] = [];
  const resources: unknown[] = [];
  const add = (
    type: string,
    name: string,
    after: Record<string, unknown>,
    unknown: Record<string, unknown> = {},
    expressions?: Record<string, unknown>,
  ) => {
    if (changes.length >= n) return;
    changes.push({
      address: `${type}.${name}`,
      mode: 'managed',
      type,
      name,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['create'],
        before: null,
        after,
        after_unknown: unknown,
        before_sensitive: false,
        after_sensitive: {},
      },
    });
    if (expressions)
      resources.push({
        address: `${type}.${name}`,
        mode: 'managed',
        type,
        name,
        provider_config_key: 'aws',
        expressions,
      });
  };
  for (let i = 0; changes.length < n; i++) {
    const vpc = `v${i}`;
    const cidr = `10.${i % 250}.0.0/16`;
    const vpcRef = { references: [`aws_vpc.${vpc}.id`, `aws_vpc.${vpc}`] };
    add('aws_vpc', vpc, { cidr_block: cidr }, { id: true }, { cidr_block: { constant_value: cidr } });
    add(
      'aws_subnet',
      `s${i}`,
      { cidr_block: cidr.replace('.0.0/16', '.1.0/24'), map_public_ip_on_launch: i % 7 === 0 },
      { vpc_id: true },
      { vpc_id: vpcRef },
    );
    add('aws_flow_log', `f${i}`, { traffic_type: 'ALL' }, { vpc_id: true }, { vpc_id: vpcRef });
    add(
      'aws_security_group',
      `g${i}`,
      {
        description: 'ollama',
        ingress: [
          {
            protocol: 'tcp',
            from_port: 11434,
            to_port: 11434,
            cidr_blocks: [i % 5 === 0 ? '0.0.0.0/0' : cidr],
            description: 'api',
          },
        ],
        egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], description: 'out' }],
      },
      { vpc_id: true },
      { vpc_id: vpcRef },
    );
    add(
      'aws_security_group_rule',
      `r${i}`,
      { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: [cidr], description: 'ssh' },
      { security_group_id: true },
      { security_group_id: { references: [`aws_security_group.g${i}.id`] } },
    );
    add('aws_launch_template', `t${i}`, {
      id: `lt-${i}`,
      name: `t${i}`,
      instance_type: i % 2 ? 'g4dn.xlarge' : 't3.medium',
      metadata_options: [{ http_tokens: i % 3 ? 'required' : 'optional', http_put_response_hop_limit: 1 }],
      block_device_mappings: [{ ebs: [{ encrypted: 'true', volume_size: 100, volume_type: 'gp3' }] }],
      user_data: b64(`#!/bin/bash\necho node ${i}\n`),
    });
    add('aws_autoscaling_group', `a${i}`, {
      name: `asg-${i}`,
      min_size: 0,
      max_size: 2,
      desired_capacity: 2,
      launch_template: [{ id: `lt-${i}`, version: '1' }],
    });
    add('aws_autoscaling_schedule', `stop${i}`, {
      autoscaling_group_name: `asg-${i}`,
      recurrence: '0 22 * * 5',
      time_zone: 'Europe/Paris',
      min_size: 0,
      max_size: 0,
      desired_capacity: 0,
    });
    add('aws_autoscaling_schedule', `start${i}`, {
      autoscaling_group_name: `asg-${i}`,
      recurrence: '0 7 * * 1',
      time_zone: 'Europe/Paris',
      min_size: 0,
      max_size: 2,
      desired_capacity: 2,
    });
    add('aws_ebs_volume', `d${i}`, { size: 50, type: 'gp3', encrypted: i % 4 !== 0 });
  }
  const parsed = parsePlanObject({
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } },
      root_module: { resources },
    },
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.plan;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const NOW = new Date('2026-11-21T10:00:00Z');

function once(plan: ParsedPlan): number {
  const t0 = performance.now();
  evaluatePlan(plan, { now: NOW, budgetUsd: 100_000 });
  return performance.now() - t0;
}

/** Times evaluatePlan on 5,000 and 10,000 changes; the ratio should be near 2.0 (linear). */
export async function benchSentinel(reps = 5): Promise<string> {
  const small = generatePlan(5_000);
  const large = generatePlan(10_000);
  // Warm up on both sizes first, then interleave so JIT and machine load hit both alike.
  once(small);
  once(large);
  const runs5: number[] = [];
  const runs10: number[] = [];
  for (let i = 0; i < reps; i++) {
    runs5.push(once(small));
    runs10.push(once(large));
  }
  const t5 = median(runs5);
  const t10 = median(runs10);
  const findings = evaluatePlan(large, { now: NOW }).findings.length;
  return [
    `sentinel evaluatePlan 5,000 changes: ${t5.toFixed(1)} ms (median of ${reps})`,
    `sentinel evaluatePlan 10,000 changes: ${t10.toFixed(1)} ms (median of ${reps}, ${findings} findings)`,
    `sentinel 10k/5k time ratio: ${(t10 / t5).toFixed(2)} (linear ≈ 2.0)`,
  ].join('\n');
}
