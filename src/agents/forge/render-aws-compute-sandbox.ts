import { type AwsSandboxContext, tagged } from './aws-sandbox-context.js';
import { renderUserData } from './render-user-data.js';
import { Expr, type SandboxResource, type SandboxValue, ref, refAttr, sandboxName, setOfRefs } from './sandbox-expr.js';
import { scheduleToCron } from './schedule-to-cron.js';

// Security group, launch template, Spot ASG and its weekly schedule, with the attribute names
// and value forms (string booleans in launch templates) of the AWS provider's plan JSON.

/** Ubuntu LTS via SSM, resolved by EC2 at launch: the module's default image. */
export const DEFAULT_IMAGE_ID =
  'resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id';

function rule(from: number, to: number, cidrs: string[], description: string): Record<string, SandboxValue> {
  return {
    from_port: from,
    to_port: to,
    protocol: 'tcp',
    cidr_blocks: cidrs,
    ipv6_cidr_blocks: [],
    prefix_list_ids: [],
    security_groups: [],
    self: false,
    description,
  };
}

export function renderAwsComputeSandbox(ctx: AwsSandboxContext): SandboxResource[] {
  const { spec, name } = ctx;
  const p = spec.params;
  const sgName = `${name}-ollama`;
  const sgDescription = `Ollama API (${p.ollamaPort}/tcp) reachable only from allowed private ranges`;
  // Without NAT the only way out is an in-VPC mirror or VPC endpoint, so egress stays in the VPC.
  const egressCidrs = ctx.natSubnetCidr ? ['0.0.0.0/0'] : [p.vpcCidr];
  const sg: SandboxResource = {
    type: 'aws_security_group',
    name: 'ollama',
    input: {
      name: sgName,
      description: sgDescription,
      vpc_id: ref('aws_vpc', 'main'),
      ingress: [rule(p.ollamaPort, p.ollamaPort, p.allowedCidrs, 'Ollama API from allowed private ranges')],
      egress: [rule(443, 443, egressCidrs, 'HTTPS for the Ollama installer and model pulls')],
      revoke_rules_on_delete: false,
      ...tagged(ctx, sgName),
    },
    replaceOn: [sgName, sgDescription, ref('aws_vpc', 'main')],
  };
  const lt: SandboxResource = {
    type: 'aws_launch_template',
    name: 'ollama',
    input: {
      name: sgName,
      description: `Ollama on Spot for stack ${name}`,
      image_id: DEFAULT_IMAGE_ID,
      update_default_version: true,
      latest_version: 1,
      user_data: renderUserData({ ollama_port: p.ollamaPort, model: p.model ?? '' }),
      metadata_options: [
        {
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: 1,
          http_protocol_ipv6: 'disabled',
          instance_metadata_tags: 'disabled',
        },
      ],
      block_device_mappings: [
        {
          device_name: '/dev/sda1',
          no_device: null,
          virtual_name: null,
          // iops and throughput are left out: the provider computes them for gp3.
          ebs: [
            {
              delete_on_termination: 'true',
              encrypted: 'true',
              volume_type: 'gp3',
              volume_size: p.volumeGb,
              kms_key_id: null,
              snapshot_id: null,
            },
          ],
        },
      ],
      network_interfaces: [
        {
          associate_public_ip_address: 'false',
          delete_on_termination: 'true',
          device_index: 0,
          security_groups: setOfRefs([ref('aws_security_group', 'ollama')]),
          subnet_id: null,
        },
      ],
      instance_type: null,
      key_name: null,
      vpc_security_group_ids: null,
      ebs_optimized: null,
      disable_api_termination: null,
      monitoring: [{ enabled: true }],
      tag_specifications: [
        { resource_type: 'instance', tags: { ...ctx.tags, Name: sgName } },
        { resource_type: 'volume', tags: { ...ctx.tags, Name: sgName } },
      ],
      ...tagged(ctx, sgName),
    },
    replaceOn: [sgName],
  };
  return [sg, lt, renderAsg(ctx, sgName), ...renderSchedules(ctx, sgName)];
}

function renderAsg(ctx: AwsSandboxContext, asgName: string): SandboxResource {
  const p = ctx.spec.params;
  const subnets = setOfRefs(p.privateSubnetCidrs.map((_, i) => ref('aws_subnet', 'private', i)));
  // Pinned to the template's latest version: unknown whenever the template changes, as on AWS.
  const version = new Expr(
    `\${tostring(terraform_data.${sandboxName('aws_launch_template', 'ollama')}.output.latest_version)}`,
  );
  return {
    type: 'aws_autoscaling_group',
    name: 'ollama',
    input: {
      name: asgName,
      min_size: p.minSize,
      max_size: p.maxSize,
      // The module's `set_desired_capacity ? desired_capacity : null`. Set, the plan makes the
      // group run what the review says ("scale to 3" plans and applies 3). Held (a plan made
      // while the weekend schedule has the group stopped), the live size stays: AWS starts a new
      // group at min_size, and ignore_changes keeps the prior value as the provider does for null.
      desired_capacity: ctx.holdDesiredCapacity ? p.minSize : p.desiredCapacity,
      vpc_zone_identifier: subnets,
      health_check_type: 'EC2',
      health_check_grace_period: 300,
      capacity_rebalance: true,
      protect_from_scale_in: false,
      wait_for_capacity_timeout: '10m',
      metrics_granularity: '1Minute',
      termination_policies: null,
      launch_template: [],
      mixed_instances_policy: [
        {
          instances_distribution: [
            {
              on_demand_allocation_strategy: 'prioritized',
              on_demand_base_capacity: p.onDemandBase,
              on_demand_percentage_above_base_capacity: 0,
              spot_allocation_strategy: 'price-capacity-optimized',
              spot_instance_pools: 0,
              spot_max_price: null,
            },
          ],
          launch_template: [
            {
              launch_template_specification: [
                {
                  launch_template_id: ref('aws_launch_template', 'ollama'),
                  launch_template_name: refAttr('aws_launch_template', 'ollama', 'name'),
                  version,
                },
              ],
              override: p.instanceTypes.map((t) => ({
                instance_type: t,
                weighted_capacity: null,
                launch_template_specification: [],
                instance_requirements: [],
              })),
            },
          ],
        },
      ],
      // The module's instance refresh: a change of template or types reaches running instances.
      instance_refresh: [
        {
          strategy: 'Rolling',
          triggers: null,
          preferences: [
            {
              min_healthy_percentage: 100,
              max_healthy_percentage: 200,
              skip_matching: true,
              auto_rollback: null,
              checkpoint_delay: null,
              checkpoint_percentages: null,
              instance_warmup: null,
              scale_in_protected_instances: 'Ignore',
              standby_instances: 'Ignore',
              alarm_specification: [],
            },
          ],
        },
      ],
      // A set in the provider: planned sorted by key. Code-unit order, as this config's other
      // sorted sets: the same on every host whatever its locale, and no collator to build (a
      // process's first localeCompare costs ~10 ms).
      tag: Object.entries({ ...ctx.tags, Name: asgName })
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => ({ key, value, propagate_at_launch: true })),
    },
    replaceOn: [asgName],
    ...(ctx.holdDesiredCapacity ? { ignoreChanges: ['desired_capacity'] } : {}),
  };
}

function renderSchedules(ctx: AwsSandboxContext, asgName: string): SandboxResource[] {
  const p = ctx.spec.params;
  const s = p.schedule;
  if (!s) return [];
  const action = (
    name: 'stop' | 'start',
    recurrence: string,
    min: number,
    max: number,
    desired: number,
  ): SandboxResource => ({
    type: 'aws_autoscaling_schedule',
    name,
    index: 0, // count = schedule == null ? 0 : 1 in the module
    input: {
      scheduled_action_name: `${asgName}-${name}`,
      autoscaling_group_name: asgName,
      recurrence,
      time_zone: s.timezone,
      min_size: min,
      max_size: max,
      desired_capacity: desired,
    },
    replaceOn: [`${asgName}-${name}`, asgName],
  });
  return [
    action('stop', scheduleToCron(s.stop), 0, 0, 0),
    // The start action restores explicit sizes: an omitted size would default to 0.
    action('start', scheduleToCron(s.start), p.minSize, p.maxSize, p.desiredCapacity),
  ];
}
