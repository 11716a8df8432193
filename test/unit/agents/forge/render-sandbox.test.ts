import { describe, expect, it } from 'vitest';
import { renderSandbox } from '../../../../src/agents/forge/render-sandbox.js';
import { concat, escapeTemplate, ref, toTerraformJson } from '../../../../src/agents/forge/sandbox-expr.js';
import { CrewError } from '../../../../src/errors.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { readSandboxConfig } from './read-sandbox-config.js';

describe('renderSandbox (aws-spot-ollama)', () => {
  it('renders every cloud resource as terraform_data named <type>__<name>', () => {
    const { blocks, resources } = readSandboxConfig(awsSpec());
    expect(Object.keys(blocks)).toContain('aws_security_group__ollama');
    expect(Object.keys(blocks)).toContain('aws_subnet__private__1');
    expect(resources).toContain('aws_subnet.private');
    expect(resources).not.toContain('aws_nat_gateway.main');
  });

  it('keeps the Ollama port open only to the allowed CIDRs, with descriptions', () => {
    const sg = readSandboxConfig(awsSpec()).blocks.aws_security_group__ollama!.input;
    expect(sg.vpc_id).toBe('${terraform_data.aws_vpc__main.id}');
    expect(sg.description).toMatch(/Ollama/);
    expect(sg.ingress).toEqual([
      expect.objectContaining({
        from_port: 11434,
        to_port: 11434,
        protocol: 'tcp',
        cidr_blocks: ['10.42.0.0/16'],
        ipv6_cidr_blocks: [],
      }),
    ]);
    expect(sg.egress).toEqual([expect.objectContaining({ from_port: 443, cidr_blocks: ['10.42.0.0/16'] })]);
  });

  it('opens HTTPS egress to the internet only with the NAT path', () => {
    const { blocks, resources } = readSandboxConfig(awsSpec(), { natSubnetCidr: '10.42.255.0/24' });
    expect(blocks.aws_security_group__ollama!.input.egress).toEqual([
      expect.objectContaining({ cidr_blocks: ['0.0.0.0/0'] }),
    ]);
    expect(resources).toEqual(expect.arrayContaining(['aws_nat_gateway.main', 'aws_eip.nat', 'aws_subnet.public']));
    expect(blocks.aws_subnet__public__0!.input.map_public_ip_on_launch).toBe(false);
  });

  it('renders the launch template the way the AWS provider plans it', () => {
    const lt = readSandboxConfig(awsSpec()).blocks.aws_launch_template__ollama!.input;
    expect(lt.metadata_options).toEqual([
      expect.objectContaining({ http_tokens: 'required', http_put_response_hop_limit: 1, http_endpoint: 'enabled' }),
    ]);
    expect(lt.block_device_mappings).toEqual([
      expect.objectContaining({
        ebs: [expect.objectContaining({ encrypted: 'true', volume_type: 'gp3', volume_size: 100 })],
      }),
    ]);
    expect(lt.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: 'false' })]);
    const script = Buffer.from(String(lt.user_data), 'base64').toString('utf8');
    expect(script).toContain('OLLAMA_HOST=0.0.0.0:11434');
    expect(script).toContain('model="llama3.1:8b"');
    expect(script).not.toMatch(/\$\{|AKIA|PRIVATE KEY/);
  });

  it('spreads Spot over the instance types and pins the template version', () => {
    const { blocks } = readSandboxConfig(awsSpec());
    const asg = blocks.aws_autoscaling_group__ollama!;
    const policy = (asg.input.mixed_instances_policy as Record<string, unknown[]>[])[0]!;
    expect(policy.instances_distribution).toEqual([
      expect.objectContaining({
        on_demand_base_capacity: 0,
        on_demand_percentage_above_base_capacity: 0,
        spot_allocation_strategy: 'price-capacity-optimized',
      }),
    ]);
    const lt = policy.launch_template![0] as Record<string, Record<string, unknown>[]>;
    expect(lt.launch_template_specification![0]!.version).toContain(
      'aws_launch_template__ollama.output.latest_version',
    );
    expect(lt.override!.map((o) => o.instance_type)).toEqual(['g4dn.xlarge', 'g5.xlarge']);
    expect(asg.input.desired_capacity).toBe(1);
    expect(asg.lifecycle).toBeUndefined();
  });

  it('leaves the live desired capacity alone when told to hold it, starting a new group at min_size', () => {
    const asg = readSandboxConfig(awsSpec({ minSize: 0, desiredCapacity: 2 }), { holdDesiredCapacity: true }).blocks
      .aws_autoscaling_group__ollama!;
    expect(asg.input.desired_capacity).toBe(0);
    expect(asg.lifecycle).toEqual({ ignore_changes: ['input.desired_capacity'] });
  });

  it('pairs the weekend stop with a start that restores explicit sizes in the time zone', () => {
    const { blocks } = readSandboxConfig(awsSpec({ minSize: 1, maxSize: 3, desiredCapacity: 2 }));
    expect(blocks.aws_autoscaling_schedule__stop__0!.input).toMatchObject({
      recurrence: '0 22 * * 5',
      time_zone: 'Europe/Dublin',
      min_size: 0,
      max_size: 0,
      desired_capacity: 0,
    });
    expect(blocks.aws_autoscaling_schedule__start__0!.input).toMatchObject({
      recurrence: '0 7 * * 1',
      time_zone: 'Europe/Dublin',
      min_size: 1,
      max_size: 3,
      desired_capacity: 2,
    });
    expect(readSandboxConfig(awsSpec({ schedule: undefined })).resources).not.toContain(
      'aws_autoscaling_schedule.stop',
    );
  });

  it('models ForceNew attributes with triggers_replace', () => {
    const { blocks } = readSandboxConfig(awsSpec());
    expect(blocks.aws_vpc__main!.triggers_replace).toContain('10.42.0.0/16');
    expect(blocks.aws_subnet__private__0!.triggers_replace).toContain('${terraform_data.aws_vpc__main.id}');
    expect(blocks.aws_autoscaling_group__ollama!.triggers_replace).toEqual(['ollama-dev-ollama']);
  });

  it('refuses blueprints without a sandbox', () => {
    const spec = {
      ...awsSpec(),
      blueprint: 'dns-record',
      params: { zone: 'test.local', name: 'test', type: 'A', value: '192.168.1.100', ttl: 60, action: 'add' },
    } as never;
    expect(() => renderSandbox(spec)).toThrow(CrewError);
  });
});

describe('sandbox expressions', () => {
  it('escapes template sequences in literals and keeps expressions verbatim', () => {
    expect(escapeTemplate('a ${b} %{ if c }')).toBe('a $${b} %%{ if c }');
    const expr = concat('arn:${x}:', ref('aws_vpc', 'main'));
    expect(expr.template).toBe('arn:$${x}:${terraform_data.aws_vpc__main.id}');
    expect(toTerraformJson({ s: '${nope}', e: expr, n: [1, null, true] })).toEqual({
      s: '$${nope}',
      e: expr.template,
      n: [1, null, true],
    });
  });
});
