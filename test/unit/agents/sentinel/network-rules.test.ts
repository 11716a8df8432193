import { describe, expect, it } from 'vitest';
import { evaluate, hits, lit, only, ref, type ChangeSpec } from './plan-builder.js';

const VPC: ChangeSpec = { address: 'aws_vpc.main', after: { cidr_block: '10.42.0.0/16' }, afterUnknown: { id: true } };
const sgRule = (over: Record<string, unknown>, address = 'aws_security_group_rule.r'): ChangeSpec => ({
  address,
  after: {
    type: 'ingress',
    protocol: 'tcp',
    from_port: 11434,
    to_port: 11434,
    cidr_blocks: ['10.42.0.0/16'],
    description: 'ollama',
    ...over,
  },
});
const ingressRule = (over: Record<string, unknown>): ChangeSpec => ({
  address: 'aws_vpc_security_group_ingress_rule.r',
  after: { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8', description: 'admin', ...over },
});

describe('world ingress (CKV_AWS_24/25/277)', () => {
  it('fails SSH from 0.0.0.0/0 and passes SSH from a private range', () => {
    const bad = evaluate([VPC, sgRule({ from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] })]);
    expect(hits(bad, 'CKV_AWS_24')).toEqual(['CKV_AWS_24@aws_security_group_rule.r']);
    expect(only(bad, 'CKV_AWS_24')[0]).toMatchObject({
      severity: 'HIGH',
      refs: { checkov: ['CKV_AWS_24'], trivy: ['AWS-0107'] },
    });
    expect(only(bad, 'CKV_AWS_24')[0]?.message).toBe(
      'rule allows tcp/22 from 0.0.0.0/0: restrict the source to the VPC CIDR or a bastion/VPN security group (use SSM Session Manager instead of open port 22)',
    );
    expect(bad.verdict).toBe('FAIL');
    const good = evaluate([VPC, sgRule({ from_port: 22, to_port: 22, cidr_blocks: ['10.0.0.0/8'] })]);
    expect(hits(good, 'CKV_AWS_24')).toEqual([]);
  });

  it('fails RDP from ::/0 on the newer ingress rule resource and passes from a /8', () => {
    expect(
      hits(
        evaluate([ingressRule({ from_port: 3389, to_port: 3389, cidr_ipv4: null, cidr_ipv6: '::/0' })]),
        'CKV_AWS_25',
      ),
    ).toEqual(['CKV_AWS_25@aws_vpc_security_group_ingress_rule.r']);
    expect(hits(evaluate([ingressRule({ from_port: 3389, to_port: 3389 })]), 'CKV_AWS_25')).toEqual([]);
  });

  it('fails protocol -1 from the world as all ports (not also as 22/3389), passes -1 from the VPC', () => {
    const bad = evaluate([VPC, sgRule({ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] })]);
    expect(hits(bad).filter((h) => h.startsWith('CKV_AWS_2'))).toEqual(['CKV_AWS_277@aws_security_group_rule.r']);
    expect(hits(evaluate([VPC, sgRule({ protocol: '-1', from_port: 0, to_port: 0 })]), 'CKV_AWS_277')).toEqual([]);
  });

  it('covers a tcp range that includes 22', () => {
    expect(
      hits(evaluate([VPC, sgRule({ from_port: 0, to_port: 1024, cidr_blocks: ['0.0.0.0/0'] })]), 'CKV_AWS_24'),
    ).toHaveLength(1);
  });
});

describe('CREW_OLLAMA_VPC_ONLY', () => {
  it('fails 11434 open to the world and to a private range outside the VPC', () => {
    const world = evaluate([VPC, sgRule({ cidr_blocks: ['0.0.0.0/0'] })]);
    expect(only(world, 'CREW_OLLAMA_VPC_ONLY')[0]?.message).toBe(
      'rule allows tcp/11434 from 0.0.0.0/0, outside the VPC CIDR of aws_vpc.main: allow port 11434 only from the VPC CIDR (Ollama has no authentication)',
    );
    const lan = evaluate([VPC, sgRule({ cidr_blocks: ['192.168.1.0/24'] })]);
    expect(hits(lan, 'CREW_OLLAMA_VPC_ONLY')).toEqual(['CREW_OLLAMA_VPC_ONLY@aws_security_group_rule.r']);
    expect(lan.verdict).toBe('FAIL');
  });

  it('passes the VPC CIDR and a subnet inside it', () => {
    expect(
      hits(evaluate([VPC, sgRule({ cidr_blocks: ['10.42.0.0/16', '10.42.1.0/24'] })]), 'CREW_OLLAMA_VPC_ONLY'),
    ).toEqual([]);
  });

  it('fails protocol -1 from outside the VPC, since it includes 11434', () => {
    expect(
      hits(
        evaluate([VPC, sgRule({ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['172.16.0.0/12'] })]),
        'CREW_OLLAMA_VPC_ONLY',
      ),
    ).toHaveLength(1);
  });

  it('resolves an unknown CIDR through its configuration reference to the VPC', () => {
    const r = evaluate([
      { ...VPC, config: { cidr_block: lit('10.42.0.0/16') } },
      {
        address: 'aws_security_group.ollama',
        after: { description: 'ollama', ingress: [], egress: [] },
        afterUnknown: { id: true, vpc_id: true },
        config: { vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main') },
      },
      {
        address: 'aws_vpc_security_group_ingress_rule.ollama',
        after: { ip_protocol: 'tcp', from_port: 11434, to_port: 11434, description: 'ollama from vpc' },
        afterUnknown: { cidr_ipv4: true, security_group_id: true },
        config: {
          cidr_ipv4: ref('aws_vpc.main.cidr_block', 'aws_vpc.main'),
          security_group_id: ref('aws_security_group.ollama.id', 'aws_security_group.ollama'),
        },
      },
    ]);
    expect(hits(r, 'CREW_OLLAMA_VPC_ONLY')).toEqual([]);
    expect(hits(r, 'CREW_UNKNOWN_VALUE')).toEqual([]);
  });

  it('finds the VPC of a child module through references relative to the module', () => {
    const r = evaluate([
      { address: 'module.net.aws_vpc.this', after: { cidr_block: '10.9.0.0/16' }, afterUnknown: { id: true } },
      { address: 'module.net.aws_vpc.other', after: { cidr_block: '10.8.0.0/16' }, afterUnknown: { id: true } },
      {
        address: 'module.net.aws_security_group.ollama',
        after: {
          description: 'x',
          ingress: [
            { protocol: 'tcp', from_port: 11434, to_port: 11434, cidr_blocks: ['10.8.0.0/16'], description: 'd' },
          ],
          egress: [],
        },
        afterUnknown: { vpc_id: true },
        config: { vpc_id: ref('aws_vpc.this.id', 'aws_vpc.this') },
      },
    ]);
    expect(only(r, 'CREW_OLLAMA_VPC_ONLY')[0]?.message).toContain('outside the VPC CIDR of module.net.aws_vpc.this');
  });

  it('needs review when the VPC CIDR is unknown (e.g. from IPAM)', () => {
    const r = evaluate([
      {
        address: 'aws_vpc.main',
        after: {},
        afterUnknown: { id: true, cidr_block: true },
        config: { ipv4_ipam_pool_id: ref('aws_vpc_ipam_pool.main.id') },
      },
      sgRule({ cidr_blocks: ['10.42.0.0/24'] }),
    ]);
    expect(hits(r, 'CREW_OLLAMA_VPC_ONLY')).toEqual([]);
    expect(only(r, 'CREW_UNKNOWN_VALUE').map((f) => f.message)).toContain(
      'needs review: aws_vpc.main.cidr_block is known only after apply, so CREW_OLLAMA_VPC_ONLY (Ollama port 11434 reachable only from inside the VPC) cannot be verified; set it to a literal or check the applied resource',
    );
    expect(only(r, 'CREW_UNKNOWN_VALUE')[0]?.severity).toBe('MEDIUM');
  });

  it('needs review when the allowed CIDR itself is unknown and unresolvable', () => {
    const r = evaluate([
      VPC,
      {
        address: 'aws_security_group_rule.r',
        after: { type: 'ingress', protocol: 'tcp', from_port: 11434, to_port: 11434, description: 'd' },
        afterUnknown: { cidr_blocks: true },
      },
    ]);
    expect(hits(r, 'CREW_UNKNOWN_VALUE')).toEqual(['CREW_UNKNOWN_VALUE@aws_security_group_rule.r']);
  });
});

describe('egress, descriptions, default SG, flow logs, default VPC, subnets', () => {
  it('CKV_AWS_382 flags all-ports egress to the world as LOW only', () => {
    const r = evaluate([
      VPC,
      sgRule({ type: 'egress', protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }),
    ]);
    expect(only(r, 'CKV_AWS_382').map((f) => f.severity)).toEqual(['LOW']);
    expect(
      hits(
        evaluate([VPC, sgRule({ type: 'egress', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] })]),
        'CKV_AWS_382',
      ),
    ).toEqual([]);
  });

  it('CKV_AWS_23 flags "Managed by Terraform" and empty rule descriptions', () => {
    const r = evaluate([
      {
        address: 'aws_security_group.a',
        after: {
          description: 'Managed by Terraform',
          ingress: [{ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['10.0.0.0/8'], description: '' }],
          egress: [],
        },
      },
    ]);
    expect(only(r, 'CKV_AWS_23').map((f) => f.message)).toEqual([
      'security group has the default description "Managed by Terraform": say what the security group is for',
      'rule ingress[0] has no description: say what the rule ingress[0] is for',
    ]);
    expect(
      hits(
        evaluate([{ address: 'aws_security_group.a', after: { description: 'API', ingress: [], egress: [] } }]),
        'CKV_AWS_23',
      ),
    ).toEqual([]);
  });

  const defaultSg = (ingress: unknown[]): ChangeSpec => ({
    address: 'aws_default_security_group.d',
    after: { ingress, egress: [] },
    afterUnknown: { vpc_id: true },
    config: { vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main') },
  });
  const flowLog: ChangeSpec = {
    address: 'aws_flow_log.f',
    after: { traffic_type: 'ALL' },
    afterUnknown: { vpc_id: true },
    config: { vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main') },
  };
  const vpc2: ChangeSpec = {
    address: 'aws_vpc.second',
    after: { cidr_block: '10.50.0.0/16' },
    afterUnknown: { id: true },
  };

  it('CKV2_AWS_12: each VPC needs a rule-less default security group', () => {
    expect(hits(evaluate([VPC, vpc2, defaultSg([]), flowLog]), 'CKV2_AWS_12')).toEqual(['CKV2_AWS_12@aws_vpc.second']);
    expect(hits(evaluate([VPC, defaultSg([{ protocol: '-1', self: true }])]), 'CKV2_AWS_12')).toEqual([
      'CKV2_AWS_12@aws_default_security_group.d',
    ]);
    expect(hits(evaluate([VPC, defaultSg([])]), 'CKV2_AWS_12')).toEqual([]);
  });

  it('CKV2_AWS_11: each VPC needs a flow log, linked by reference or by id', () => {
    expect(hits(evaluate([VPC, vpc2, flowLog]), 'CKV2_AWS_11')).toEqual(['CKV2_AWS_11@aws_vpc.second']);
    const live = evaluate([
      {
        address: 'aws_vpc.main',
        actions: ['no-op'],
        before: { id: 'vpc-1', cidr_block: '10.0.0.0/16' },
        after: { id: 'vpc-1', cidr_block: '10.0.0.0/16' },
      },
      {
        address: 'aws_vpc.b',
        actions: ['no-op'],
        before: { id: 'vpc-2', cidr_block: '10.1.0.0/16' },
        after: { id: 'vpc-2', cidr_block: '10.1.0.0/16' },
      },
      { address: 'aws_flow_log.f', after: { vpc_id: 'vpc-2', traffic_type: 'ALL' } },
    ]);
    expect(hits(live, 'CKV2_AWS_11')).toEqual(['CKV2_AWS_11@aws_vpc.main']);
  });

  it('CKV_AWS_148 fails a managed default VPC', () => {
    expect(hits(evaluate([{ address: 'aws_default_vpc.default', after: {} }]), 'CKV_AWS_148')).toEqual([
      'CKV_AWS_148@aws_default_vpc.default',
    ]);
    expect(hits(evaluate([VPC]), 'CKV_AWS_148')).toEqual([]);
  });

  it('CKV_AWS_130 fails subnets that map public IPs', () => {
    expect(
      hits(evaluate([{ address: 'aws_subnet.a', after: { map_public_ip_on_launch: true } }]), 'CKV_AWS_130'),
    ).toEqual(['CKV_AWS_130@aws_subnet.a']);
    expect(
      hits(evaluate([{ address: 'aws_subnet.a', after: { map_public_ip_on_launch: false } }]), 'CKV_AWS_130'),
    ).toEqual([]);
  });
});
