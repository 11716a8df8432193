/** A resource the plan creates, as `terraform show -json` lists it. */
function created(type: string, after: Record<string, unknown>) {
  return {
    address: `${type}.ollama`,
    mode: 'managed',
    type,
    name: 'ollama',
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['create'], before: null, after },
  };
}

/**
 * A small plan of the kind Sentinel judges most (a private Ollama group on Spot: its security
 * group, launch template and Auto Scaling group), for warming its rules and cost model at a
 * long-running process's start. Not a plan of any stack: nothing reads its verdict.
 */
export const WARM_SAMPLE_PLAN = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  resource_changes: [
    created('aws_security_group', {
      name: 'warm-up',
      description: 'Ollama API, reachable only from inside the VPC',
      ingress: [{ cidr_blocks: ['10.42.0.0/16'], from_port: 11434, to_port: 11434, protocol: 'tcp', self: false }],
      egress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 443, to_port: 443, protocol: 'tcp', self: false }],
      tags: { Name: 'warm-up' },
    }),
    created('aws_launch_template', {
      name_prefix: 'warm-up-',
      image_id: 'ami-0c7217cdde317cfec',
      instance_type: 'g4dn.xlarge',
      metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }],
      block_device_mappings: [
        { device_name: '/dev/xvda', ebs: [{ encrypted: 'true', volume_size: 100, volume_type: 'gp3' }] },
      ],
      tags: { Name: 'warm-up' },
    }),
    created('aws_autoscaling_group', {
      name: 'warm-up',
      desired_capacity: 1,
      max_size: 1,
      min_size: 0,
      capacity_rebalance: true,
      mixed_instances_policy: [
        {
          instances_distribution: [
            {
              on_demand_base_capacity: 0,
              on_demand_percentage_above_base_capacity: 0,
              spot_allocation_strategy: 'price-capacity-optimized',
            },
          ],
          launch_template: [{ override: [{ instance_type: 'g4dn.xlarge' }] }],
        },
      ],
      tag: [{ key: 'Name', value: 'warm-up', propagate_at_launch: true }],
    }),
  ],
};
