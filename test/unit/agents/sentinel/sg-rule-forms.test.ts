import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { fixture } from '../../../support/load-fixture.js';
import { evaluate, hits, NOW, type ChangeSpec } from './plan-builder.js';

describe('security group rules in all three forms (provider plan)', () => {
  const result = evaluatePlan(fixture('default-sg-attached-rules.json'), { now: NOW });

  it('CKV2_AWS_12: rules attached to the default group by reference fail, whatever resource carries them', () => {
    expect(hits(result, 'CKV2_AWS_12')).toEqual([
      'CKV2_AWS_12@aws_security_group_rule.default_ssh',
      'CKV2_AWS_12@aws_vpc_security_group_egress_rule.default_all',
      'CKV2_AWS_12@aws_vpc_security_group_ingress_rule.default_https',
    ]);
    expect(
      result.findings.find((f) => f.ruleId === 'CKV2_AWS_12' && f.address === 'aws_security_group_rule.default_ssh')
        ?.message,
    ).toMatch(/attaches an ingress rule to the default security group aws_default_security_group\.default/);
  });

  it('the world-ingress and egress rules judge the attached rules too', () => {
    expect(hits(result, 'CKV_AWS_24')).toEqual(['CKV_AWS_24@aws_security_group_rule.default_ssh']);
    expect(hits(result, 'CKV_AWS_382')).toEqual(['CKV_AWS_382@aws_vpc_security_group_egress_rule.default_all']);
  });

  it('inline rules of aws_default_security_group are judged like any group', () => {
    const vpc: ChangeSpec = { address: 'aws_vpc.main', after: { cidr_block: '10.0.0.0/16' } };
    const open: ChangeSpec = {
      address: 'aws_default_security_group.d',
      after: {
        vpc_id: 'vpc-1',
        ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], description: 'x' }],
        egress: [],
      },
    };
    expect(hits(evaluate([vpc, open]), 'CKV_AWS_24')).toEqual(['CKV_AWS_24@aws_default_security_group.d']);
  });
});

describe('ports as AWS reads them (not as "all ports")', () => {
  const rule = (over: Record<string, unknown>): ChangeSpec => ({
    address: 'aws_security_group_rule.r',
    after: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], description: 'x', ...over },
  });
  const all = (over: Record<string, unknown>) =>
    ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'].flatMap((id) => hits(evaluate([rule(over)]), id));

  it('tcp 0-0 is port 0 only', () => {
    expect(all({ protocol: 'tcp', from_port: 0, to_port: 0 })).toEqual([]);
  });

  it('tcp -1/-1 opens no port (the EC2 API rejects it)', () => {
    expect(all({ protocol: 'tcp', from_port: -1, to_port: -1 })).toEqual([]);
  });

  it('protocol -1 is all traffic whatever the ports say', () => {
    expect(all({ protocol: '-1', from_port: 0, to_port: 0 })).toEqual(['CKV_AWS_277@aws_security_group_rule.r']);
  });

  it('tcp 0-65535 is all ports', () => {
    expect(all({ protocol: 'tcp', from_port: 0, to_port: 65535 })).toEqual(['CKV_AWS_277@aws_security_group_rule.r']);
  });
});
