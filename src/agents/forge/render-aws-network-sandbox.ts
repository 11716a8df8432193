import { type AwsSandboxContext, tagged, zoneFor } from './aws-sandbox-context.js';
import { type SandboxResource, type SandboxValue, concat, ref } from './sandbox-expr.js';

// VPC, private subnets, routing, locked default SG, flow logs and the optional NAT path of
// terraform/modules/aws-spot-ollama, with the attribute names of the AWS provider's plan.

// Key order as the provider normalises policy JSON.
const FLOW_ASSUME_ROLE = JSON.stringify({
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' } }],
  Version: '2012-10-17',
});

const ROUTE_TARGETS = [
  'carrier_gateway_id',
  'core_network_arn',
  'destination_prefix_list_id',
  'egress_only_gateway_id',
  'gateway_id',
  'ipv6_cidr_block',
  'local_gateway_id',
  'nat_gateway_id',
  'network_interface_id',
  'transit_gateway_id',
  'vpc_endpoint_id',
  'vpc_peering_connection_id',
];

/** An inline route as the provider plans it: every target key present, unused ones empty. */
function route(cidr: string, target: Record<string, SandboxValue>): Record<string, SandboxValue> {
  return { cidr_block: cidr, ...Object.fromEntries(ROUTE_TARGETS.map((k) => [k, ''])), ...target };
}

export function renderAwsNetworkSandbox(ctx: AwsSandboxContext): SandboxResource[] {
  const { spec, name } = ctx;
  const vpc = ref('aws_vpc', 'main');
  const out: SandboxResource[] = [
    {
      type: 'aws_vpc',
      name: 'main',
      input: {
        cidr_block: spec.params.vpcCidr,
        enable_dns_support: true,
        enable_dns_hostnames: true,
        instance_tenancy: 'default',
        assign_generated_ipv6_cidr_block: null,
        ...tagged(ctx, `${name}-vpc`),
      },
      replaceOn: [spec.params.vpcCidr, 'default'],
    },
    {
      type: 'aws_default_security_group',
      name: 'main',
      input: {
        vpc_id: vpc,
        ingress: [],
        egress: [],
        revoke_rules_on_delete: false,
        ...tagged(ctx, `${name}-default-locked`),
      },
      replaceOn: [vpc],
    },
    {
      type: 'aws_route_table',
      name: 'private',
      input: { vpc_id: vpc, route: natRoutes(ctx), ...tagged(ctx, `${name}-private`) },
      replaceOn: [vpc],
    },
  ];
  spec.params.privateSubnetCidrs.forEach((cidr, index) => {
    const zone = zoneFor(ctx, index);
    out.push(
      {
        type: 'aws_subnet',
        name: 'private',
        index,
        input: {
          vpc_id: vpc,
          cidr_block: cidr,
          availability_zone: zone,
          map_public_ip_on_launch: false,
          assign_ipv6_address_on_creation: false,
          ipv6_cidr_block: null,
          ...tagged(ctx, `${name}-private-${zone}`),
        },
        replaceOn: [vpc, cidr, zone],
      },
      {
        type: 'aws_route_table_association',
        name: 'private',
        index,
        input: {
          subnet_id: ref('aws_subnet', 'private', index),
          route_table_id: ref('aws_route_table', 'private'),
          gateway_id: null,
        },
        replaceOn: [ref('aws_subnet', 'private', index)],
      },
    );
  });
  out.push(...renderFlowLog(ctx), ...(ctx.natSubnetCidr ? renderNat(ctx, ctx.natSubnetCidr) : []));
  return out;
}

function natRoutes(ctx: AwsSandboxContext): SandboxResource['input'][] {
  if (!ctx.natSubnetCidr) return [];
  return [route('0.0.0.0/0', { nat_gateway_id: ref('aws_nat_gateway', 'main', 0) })];
}

function renderFlowLog(ctx: AwsSandboxContext): SandboxResource[] {
  const logGroup = `/infracrew/${ctx.name}/vpc-flow-logs`;
  const roleName = `${ctx.name}-vpc-flow-logs`;
  const group = ref('aws_cloudwatch_log_group', 'flow');
  const role = ref('aws_iam_role', 'flow');
  const policy = concat(
    '{"Statement":[{"Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Effect":"Allow","Resource":["',
    group,
    '","',
    group,
    ':*"]}],"Version":"2012-10-17"}',
  );
  return [
    {
      type: 'aws_cloudwatch_log_group',
      name: 'flow',
      input: { name: logGroup, retention_in_days: 90, skip_destroy: false, kms_key_id: null, ...tagged(ctx, logGroup) },
      replaceOn: [logGroup],
    },
    {
      type: 'aws_iam_role',
      name: 'flow',
      input: {
        name: roleName,
        description: 'Lets VPC Flow Logs write to the stack log group',
        assume_role_policy: FLOW_ASSUME_ROLE,
        path: '/',
        max_session_duration: 3600,
        force_detach_policies: false,
        permissions_boundary: null,
        ...tagged(ctx, roleName),
      },
      replaceOn: [roleName],
    },
    {
      type: 'aws_iam_role_policy',
      name: 'flow',
      input: { name: 'vpc-flow-logs', role: role, policy },
      replaceOn: ['vpc-flow-logs', role],
    },
    {
      type: 'aws_flow_log',
      name: 'main',
      input: {
        vpc_id: ref('aws_vpc', 'main'),
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: group,
        iam_role_arn: role,
        max_aggregation_interval: 600,
        subnet_id: null,
        eni_id: null,
        ...tagged(ctx, `${ctx.name}-flow-log`),
      },
      replaceOn: [ref('aws_vpc', 'main'), group, role, 'ALL', 600],
    },
  ];
}

// The NAT path needs a public subnet with an internet gateway; instances stay private.
function renderNat(ctx: AwsSandboxContext, publicCidr: string): SandboxResource[] {
  const vpc = ref('aws_vpc', 'main');
  const zone = zoneFor(ctx, 0);
  return [
    { type: 'aws_internet_gateway', name: 'main', index: 0, input: { vpc_id: vpc, ...tagged(ctx, `${ctx.name}-igw`) } },
    {
      type: 'aws_subnet',
      name: 'public',
      index: 0,
      input: {
        vpc_id: vpc,
        cidr_block: publicCidr,
        availability_zone: zone,
        map_public_ip_on_launch: false,
        ...tagged(ctx, `${ctx.name}-public-nat`),
      },
      replaceOn: [vpc, publicCidr, zone],
    },
    {
      type: 'aws_route_table',
      name: 'public',
      index: 0,
      input: {
        vpc_id: vpc,
        route: [route('0.0.0.0/0', { gateway_id: ref('aws_internet_gateway', 'main', 0) })],
        ...tagged(ctx, `${ctx.name}-public`),
      },
      replaceOn: [vpc],
    },
    {
      type: 'aws_route_table_association',
      name: 'public',
      index: 0,
      input: {
        subnet_id: ref('aws_subnet', 'public', 0),
        route_table_id: ref('aws_route_table', 'public', 0),
        gateway_id: null,
      },
      replaceOn: [ref('aws_subnet', 'public', 0)],
    },
    {
      type: 'aws_eip',
      name: 'nat',
      index: 0,
      input: { domain: 'vpc', ...tagged(ctx, `${ctx.name}-nat`) },
      replaceOn: ['vpc'],
    },
    {
      type: 'aws_nat_gateway',
      name: 'main',
      index: 0,
      input: {
        subnet_id: ref('aws_subnet', 'public', 0),
        allocation_id: ref('aws_eip', 'nat', 0),
        connectivity_type: 'public',
        ...tagged(ctx, `${ctx.name}-nat`),
      },
      replaceOn: [ref('aws_subnet', 'public', 0), ref('aws_eip', 'nat', 0), 'public'],
    },
  ];
}
