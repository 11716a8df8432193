import { describe, expect, it } from 'vitest';
import { mapSandboxPlan } from '../../../../src/agents/forge/map-sandbox-plan.js';
import { CrewError } from '../../../../src/errors.js';

const BUILTIN = 'terraform.io/builtin/terraform';

// Trimmed from a real `terraform show -json` of a sandbox plan.
const sandboxPlan = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  variables: { region: { value: 'eu-west-1' } },
  resource_changes: [
    {
      address: 'terraform_data.aws_subnet__private__1',
      mode: 'managed',
      type: 'terraform_data',
      name: 'aws_subnet__private__1',
      provider_name: BUILTIN,
      change: {
        actions: ['delete', 'create'],
        before: {
          id: 'u-1',
          input: { cidr_block: '10.42.2.0/24', vpc_id: 'u-0' },
          output: {},
          triggers_replace: ['u-0'],
        },
        after: { input: { cidr_block: '10.42.2.0/24' }, triggers_replace: null },
        after_unknown: { id: true, input: { vpc_id: true }, output: true, triggers_replace: true },
        before_sensitive: { input: {}, output: {} },
        after_sensitive: { input: {}, output: {} },
        replace_paths: [['triggers_replace']],
      },
      action_reason: 'replace_because_cannot_update',
    },
    {
      address: 'terraform_data.aws_vpc__main',
      mode: 'managed',
      type: 'terraform_data',
      name: 'aws_vpc__main',
      provider_name: BUILTIN,
      change: {
        actions: ['create'],
        before: null,
        after: { triggers_replace: null },
        after_unknown: { id: true, input: true, output: true },
        before_sensitive: false,
        after_sensitive: { output: {} },
      },
    },
    {
      address: 'null_resource.other',
      mode: 'managed',
      type: 'null_resource',
      name: 'other',
      change: { actions: ['no-op'] },
    },
  ],
  resource_drift: [
    {
      address: 'terraform_data.aws_autoscaling_group__ollama',
      mode: 'managed',
      type: 'terraform_data',
      name: 'aws_autoscaling_group__ollama',
      provider_name: BUILTIN,
      change: {
        actions: ['update'],
        before: { input: { desired_capacity: 1 } },
        after: { input: { desired_capacity: 0 } },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    },
  ],
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'terraform_data.aws_vpc__main',
          mode: 'managed',
          type: 'terraform_data',
          name: 'aws_vpc__main',
          provider_name: BUILTIN,
          values: { triggers_replace: null },
          sensitive_values: {},
        },
        {
          address: 'terraform_data.aws_subnet__private__1',
          mode: 'managed',
          type: 'terraform_data',
          name: 'aws_subnet__private__1',
          provider_name: BUILTIN,
          values: { input: { cidr_block: '10.42.2.0/24' } },
          sensitive_values: { input: {} },
        },
      ],
    },
  },
  prior_state: {
    format_version: '1.0',
    values: {
      root_module: {
        resources: [
          {
            address: 'terraform_data.aws_subnet__private__1',
            mode: 'managed',
            type: 'terraform_data',
            name: 'aws_subnet__private__1',
            provider_name: BUILTIN,
            values: { id: 'u-1', input: { cidr_block: '10.42.2.0/24', vpc_id: 'u-0' } },
            depends_on: ['terraform_data.aws_vpc__main'],
          },
        ],
      },
    },
  },
  configuration: {
    provider_config: { terraform: { name: 'terraform', full_name: BUILTIN } },
    root_module: {
      outputs: {
        vpc_id: { expression: { references: ['terraform_data.aws_vpc__main.id', 'terraform_data.aws_vpc__main'] } },
      },
      resources: [
        {
          address: 'terraform_data.aws_subnet__private__0',
          mode: 'managed',
          type: 'terraform_data',
          name: 'aws_subnet__private__0',
          provider_config_key: 'terraform',
          expressions: {
            input: {
              constant_value: {
                cidr_block: '10.42.1.0/24',
                vpc_id: '${terraform_data.aws_vpc__main.id}',
                note: 'literal $${x}',
              },
              references: ['terraform_data.aws_vpc__main.id', 'terraform_data.aws_vpc__main'],
            },
          },
        },
        {
          address: 'terraform_data.aws_subnet__private__1',
          mode: 'managed',
          type: 'terraform_data',
          name: 'aws_subnet__private__1',
          provider_config_key: 'terraform',
          expressions: {},
        },
      ],
    },
  },
  relevant_attributes: [
    { resource: 'terraform_data.aws_vpc__main', attribute: ['id'] },
    { resource: 'terraform_data.aws_launch_template__ollama', attribute: ['output', 'latest_version'] },
  ],
};

type Mapped = {
  format_version: string;
  resource_changes: Record<string, unknown>[];
  resource_drift: Record<string, unknown>[];
  planned_values: { root_module: { resources: Record<string, unknown>[] } };
  prior_state: { values: { root_module: { resources: Record<string, unknown>[] } } };
  configuration: {
    provider_config: Record<string, unknown>;
    root_module: { resources: Record<string, unknown>[]; outputs: Record<string, unknown> };
  };
  relevant_attributes: unknown[];
};

describe('mapSandboxPlan', () => {
  const mapped = mapSandboxPlan(sandboxPlan) as Mapped;

  it('renames sandbox resources to cloud addresses, types and providers', () => {
    expect(mapped.format_version).toBe('1.2');
    expect(mapped.resource_changes[0]).toMatchObject({
      address: 'aws_subnet.private[1]',
      type: 'aws_subnet',
      name: 'private',
      index: 1,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      action_reason: 'replace_because_cannot_update',
    });
    expect(mapped.resource_changes[2]).toEqual(sandboxPlan.resource_changes[2]);
  });

  it('takes before/after and their markers from input, reporting replace paths like the cloud', () => {
    expect(mapped.resource_changes[0]!.change).toEqual({
      actions: ['delete', 'create'],
      before: { cidr_block: '10.42.2.0/24', vpc_id: 'u-0' },
      after: { cidr_block: '10.42.2.0/24' },
      after_unknown: { vpc_id: true },
      before_sensitive: {},
      after_sensitive: {},
      replace_paths: [['vpc_id']],
    });
  });

  it('marks a wholly unknown input as after_unknown true', () => {
    expect(mapped.resource_changes[1]).toMatchObject({
      address: 'aws_vpc.main',
      change: { before: null, after: {}, after_unknown: true, before_sensitive: false },
    });
  });

  it('maps drift, planned values and prior state', () => {
    expect(mapped.resource_drift[0]).toMatchObject({
      address: 'aws_autoscaling_group.ollama',
      change: { before: { desired_capacity: 1 }, after: { desired_capacity: 0 } },
    });
    expect(mapped.planned_values.root_module.resources[1]).toMatchObject({
      address: 'aws_subnet.private[1]',
      values: { cidr_block: '10.42.2.0/24' },
      sensitive_values: {},
    });
    expect(mapped.prior_state.values.root_module.resources[0]).toMatchObject({
      address: 'aws_subnet.private[1]',
      values: { cidr_block: '10.42.2.0/24', vpc_id: 'u-0' },
      depends_on: ['aws_vpc.main'],
    });
  });

  it('maps configuration to per-attribute expressions and adds the provider with its region', () => {
    expect(mapped.configuration.provider_config).toEqual({
      aws: {
        name: 'aws',
        full_name: 'registry.terraform.io/hashicorp/aws',
        version_constraint: '~> 5.32',
        expressions: { region: { constant_value: 'eu-west-1' } },
      },
    });
    expect(mapped.configuration.root_module.resources).toEqual([
      {
        address: 'aws_subnet.private',
        mode: 'managed',
        type: 'aws_subnet',
        name: 'private',
        provider_config_key: 'aws',
        schema_version: 0,
        count_expression: { constant_value: 2 },
        expressions: {
          cidr_block: { constant_value: '10.42.1.0/24' },
          vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] },
          note: { constant_value: 'literal ${x}' },
        },
      },
    ]);
    expect(mapped.configuration.root_module.outputs).toEqual({
      vpc_id: { expression: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
    });
    expect(mapped.relevant_attributes).toEqual([
      { resource: 'aws_vpc.main', attribute: ['id'] },
      { resource: 'aws_launch_template.ollama', attribute: ['latest_version'] },
    ]);
  });

  it('refuses input that is not a plan', () => {
    expect(() => mapSandboxPlan({ resource_changes: [] })).toThrow(CrewError);
    expect(() => mapSandboxPlan(null)).toThrow(/format_version/);
  });
});
