import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../../src/agents/sentinel/policy/parse-policy.js';
import type { OrgPolicy } from '../../../../src/agents/sentinel/policy/policy-types.js';
import { evaluate, hits, only, type ChangeSpec } from './plan-builder.js';

const GOOD = `# org policy
version: 1
allowedRegions: [us-east-1, eu-west-1]
allowedInstanceTypes: ["g4dn.*", t3.medium]
maxMonthlyUsdPerStack: 400
allowedPorts: [443, 11434]
waivers:
  - ruleId: CKV_AWS_382
    address: "aws_security_group.*"
    reason: egress needed for model pulls until VPC endpoints land
    expires: 2026-12-31
rules:
  - id: ORG_LT_TAGGED
    resource: aws_launch_template
    attribute: tags.team
    operator: exists
    severity: MEDIUM
    message: launch templates carry a team tag
`;

function policy(text: string): OrgPolicy {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(r.reason);
  return r.policy;
}

describe('parsePolicy', () => {
  it('parses every section', () => {
    expect(policy(GOOD)).toEqual({
      version: 1,
      allowedRegions: ['us-east-1', 'eu-west-1'],
      allowedInstanceTypes: ['g4dn.*', 't3.medium'],
      maxMonthlyUsdPerStack: 400,
      allowedPorts: [443, 11434],
      waivers: [
        {
          ruleId: 'CKV_AWS_382',
          address: 'aws_security_group.*',
          reason: 'egress needed for model pulls until VPC endpoints land',
          expires: '2026-12-31',
        },
      ],
      rules: [
        {
          id: 'ORG_LT_TAGGED',
          resourceTypes: ['aws_launch_template'],
          attribute: 'tags.team',
          operator: 'exists',
          severity: 'MEDIUM',
          message: 'launch templates carry a team tag',
        },
      ],
    });
    expect(Object.isFrozen(policy(GOOD).waivers)).toBe(true);
    expect(policy('')).toEqual({});
  });

  it('names the line and the problem', () => {
    const cases: [string, string][] = [
      [
        GOOD.replace('expires: 2026-12-31', 'expires: next month'),
        'policy.yaml:11: waivers[0].expires must be a date YYYY-MM-DD',
      ],
      [
        GOOD.replace('expires: 2026-12-31', 'expires: 2026-02-30'),
        'policy.yaml:11: waivers[0].expires must be a date YYYY-MM-DD',
      ],
      [
        GOOD.replace('maxMonthlyUsdPerStack: 400', 'maxMonthlyUsd: 400'),
        'policy.yaml:5: maxMonthlyUsd: unknown key (expected one of version, allowedRegions, allowedInstanceTypes, maxMonthlyUsdPerStack, allowedPorts, waivers, rules, approvals, autoApprove)',
      ],
      [
        GOOD.replace('allowedPorts: [443, 11434]', 'allowedPorts: [443, 70000]'),
        'policy.yaml:6: allowedPorts[1] must be a port number 0-65535',
      ],
      [
        GOOD.replace('operator: exists', 'operator: is'),
        'policy.yaml:16: rules[0].operator must be one of equals, not_equals, exists, not_exists, contains, not_contains, in, not_in, gte, gt, lte, lt, matches',
      ],
      [
        GOOD.replace('    reason: egress needed for model pulls until VPC endpoints land\n', ''),
        'policy.yaml:8: waivers[0].reason is required',
      ],
      [
        GOOD.replace('    address: "aws_security_group.*"', '    adress: "x"'),
        'policy.yaml:9: waivers[0].adress: unknown key (expected one of ruleId, address, reason, expires)',
      ],
      [
        GOOD.replace('maxMonthlyUsdPerStack: 400', 'maxMonthlyUsdPerStack: lots'),
        'policy.yaml:5: maxMonthlyUsdPerStack must be a number',
      ],
      ['allowedRegions: us-east-1\n', 'policy.yaml:1: allowedRegions must be a list'],
      ['- just\n- a list\n', 'policy.yaml:1: policy must be a mapping'],
    ];
    for (const [text, reason] of cases) expect(parsePolicy(text)).toEqual({ ok: false, reason });
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parsePolicy('version: 1\nallowedRegions: [us-east-1\n', 'org.yaml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^org\.yaml:\d+: /);
    const dup = parsePolicy('version: 1\nversion: 2\n');
    expect(!dup.ok && dup.reason).toMatch(/^policy\.yaml:2: Map keys must be unique/);
  });

  it('requires a value list for in/not_in', () => {
    const text =
      'rules:\n  - id: ORG_X\n    resource: aws_instance\n    attribute: instance_type\n    operator: in\n    value: t3.medium\n    severity: HIGH\n    message: m\n';
    expect(parsePolicy(text)).toEqual({
      ok: false,
      reason: 'policy.yaml:2: rules[0].value must be a list for operator in',
    });
  });
});

const world = (address = 'aws_security_group.ollama'): ChangeSpec => ({
  address,
  after: {
    description: 'x',
    ingress: [],
    egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], description: 'all out' }],
  },
});
const ssh: ChangeSpec = {
  address: 'aws_security_group_rule.ssh',
  after: {
    type: 'ingress',
    protocol: 'tcp',
    from_port: 22,
    to_port: 22,
    cidr_blocks: ['0.0.0.0/0'],
    description: 'ssh',
  },
};

describe('waivers', () => {
  const waiver = (expires: string, ruleId = 'CKV_AWS_24', address = 'aws_security_group_rule.*') => ({
    waivers: [{ ruleId, address, reason: 'break-glass until the VPN is up', expires }],
  });

  it('an active waiver marks the finding and lets the plan pass', () => {
    const r = evaluate([ssh], { policy: waiver('2026-11-21') });
    expect(only(r, 'CKV_AWS_24')[0]?.waived).toEqual({
      reason: 'break-glass until the VPN is up',
      expires: '2026-11-21',
    });
    expect(r.verdict).toBe('PASS');
  });

  it('an expired waiver does not apply and says so', () => {
    const r = evaluate([ssh], { policy: waiver('2026-11-20') });
    expect(only(r, 'CKV_AWS_24')[0]?.waived).toBeUndefined();
    expect(only(r, 'CKV_AWS_24')[0]?.message).toMatch(
      /\(waiver expired on 2026-11-20, no longer applies: break-glass until the VPN is up\)$/,
    );
    expect(r.verdict).toBe('FAIL');
  });

  it('matches ruleId exactly and the address by glob', () => {
    expect(evaluate([ssh], { policy: waiver('2027-01-01', 'CKV_AWS_25') }).verdict).toBe('FAIL');
    expect(evaluate([ssh], { policy: waiver('2027-01-01', 'CKV_AWS_24', 'aws_security_group.*') }).verdict).toBe(
      'FAIL',
    );
    expect(
      evaluate([world()], { policy: policy(GOOD) }).findings.find((f) => f.ruleId === 'CKV_AWS_382')?.waived?.expires,
    ).toBe('2026-12-31');
  });
});

describe('policy limits and attribute rules', () => {
  const inst = (type: string): ChangeSpec => ({
    address: 'aws_instance.x',
    after: {
      instance_type: type,
      metadata_options: [{ http_tokens: 'required' }],
      root_block_device: [{ encrypted: true }],
    },
  });

  it('region unknown needs review; the default region of the caller counts', () => {
    const r = evaluate([inst('t3.medium')], { policy: { allowedRegions: ['eu-west-1'] } }, { providers: {} });
    expect(hits(r)).toContain('CREW_UNKNOWN_VALUE@provider.aws');
    expect(
      hits(
        evaluate(
          [inst('t3.medium')],
          { policy: { allowedRegions: ['eu-west-1'] }, defaultRegion: 'eu-west-1' },
          { providers: {} },
        ),
        'CREW_POLICY_REGION',
      ),
    ).toEqual([]);
  });

  it('region not allowed', () => {
    const r = evaluate([inst('t3.medium')], { policy: { allowedRegions: ['eu-west-1'] } });
    expect(only(r, 'CREW_POLICY_REGION')[0]?.message).toBe(
      'region us-east-1 is not allowed by the org policy: use one of eu-west-1',
    );
    expect(
      hits(evaluate([inst('t3.medium')], { policy: { allowedRegions: ['us-east-1'] } }), 'CREW_POLICY_REGION'),
    ).toEqual([]);
  });

  it('instance types by glob', () => {
    const p = { allowedInstanceTypes: ['g4dn.*', 't3.medium'] };
    expect(hits(evaluate([inst('g4dn.2xlarge')], { policy: p }), 'CREW_POLICY_INSTANCE_TYPE')).toEqual([]);
    expect(only(evaluate([inst('p4d.24xlarge')], { policy: p }), 'CREW_POLICY_INSTANCE_TYPE')[0]?.message).toBe(
      'instance type p4d.24xlarge is not allowed by the org policy: use one of g4dn.*, t3.medium',
    );
  });

  it('allowed ports', () => {
    const rule = (from: number, to: number, protocol = 'tcp'): ChangeSpec => ({
      address: 'aws_security_group_rule.r',
      after: { type: 'ingress', protocol, from_port: from, to_port: to, cidr_blocks: ['10.0.0.0/8'], description: 'd' },
    });
    const p = { allowedPorts: [443, 11434] };
    expect(hits(evaluate([rule(11434, 11434)], { policy: p }), 'CREW_POLICY_PORT')).toEqual([]);
    expect(only(evaluate([rule(8000, 8100)], { policy: p }), 'CREW_POLICY_PORT')[0]?.message).toBe(
      'rule opens tcp/8000-8100, which the org policy does not allow: allowed ports are 443, 11434',
    );
    expect(hits(evaluate([rule(0, 0, '-1')], { policy: p }), 'CREW_POLICY_PORT')).toHaveLength(1);
  });

  it('declarative attribute rules: operators, nested block paths, unknowns', () => {
    const lt = (after: Record<string, unknown>, extra: Partial<ChangeSpec> = {}): ChangeSpec => ({
      address: 'aws_launch_template.t',
      after: {
        metadata_options: [{ http_tokens: 'required' }],
        block_device_mappings: [{ ebs: [{ encrypted: 'true' }] }],
        ...after,
      },
      ...extra,
    });
    const rules = (operator: string, attribute: string, value?: unknown): OrgPolicy => ({
      rules: [
        {
          id: 'ORG_RULE',
          resourceTypes: ['aws_launch_template'],
          attribute,
          operator: operator as 'equals',
          value,
          severity: 'HIGH',
          message: 'org rule',
        },
      ],
    });
    const ids = (r: ReturnType<typeof evaluate>) =>
      hits(r).filter((h) => h.startsWith('ORG_') || h.startsWith('CREW_UNKNOWN'));
    expect(ids(evaluate([lt({})], { policy: rules('equals', 'metadata_options.http_tokens', 'required') }))).toEqual(
      [],
    );
    const bad = evaluate([lt({ metadata_options: [{ http_tokens: 'optional' }] })], {
      policy: rules('equals', 'metadata_options.http_tokens', 'required'),
    });
    expect(only(bad, 'ORG_RULE')[0]?.message).toBe('org rule (metadata_options[0].http_tokens is "optional")');
    expect(ids(evaluate([lt({ tags: { team: 'ml' } })], { policy: rules('exists', 'tags.team') }))).toEqual([]);
    expect(ids(evaluate([lt({})], { policy: rules('exists', 'tags.team') }))).toEqual([
      'ORG_RULE@aws_launch_template.t',
    ]);
    expect(ids(evaluate([lt({ user_data: 'x' })], { policy: rules('not_exists', 'user_data') }))).toEqual([
      'ORG_RULE@aws_launch_template.t',
    ]);
    expect(ids(evaluate([lt({})], { policy: rules('equals', 'block_device_mappings.ebs.encrypted', true) }))).toEqual(
      [],
    );
    expect(
      ids(evaluate([lt({ instance_type: 'g5.xlarge' })], { policy: rules('in', 'instance_type', ['g4dn.xlarge']) })),
    ).toEqual(['ORG_RULE@aws_launch_template.t']);
    expect(
      ids(evaluate([lt({ instance_type: 'g5.xlarge' })], { policy: rules('matches', 'instance_type', '^g[45]') })),
    ).toEqual([]);
    expect(
      ids(
        evaluate([lt({ metadata_options: [{ http_put_response_hop_limit: 2 }] })], {
          policy: rules('lte', 'metadata_options.http_put_response_hop_limit', 1),
        }),
      ),
    ).toEqual(['ORG_RULE@aws_launch_template.t']);
    expect(ids(evaluate([lt({ tags: { a: 1 } })], { policy: rules('contains', 'tags', 'a') }))).toEqual([
      'ORG_RULE@aws_launch_template.t',
    ]);
    const unknown = evaluate(
      [
        lt(
          { instance_type: undefined },
          { afterUnknown: { instance_type: true }, config: { instance_type: { references: ['var.t'] } } },
        ),
      ],
      { policy: rules('in', 'instance_type', ['g4dn.xlarge']) },
    );
    expect(ids(unknown)).toEqual(['CREW_UNKNOWN_VALUE@aws_launch_template.t']);
  });
});
