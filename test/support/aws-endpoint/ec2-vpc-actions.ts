import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { applyTagSpecifications, filtersOf, idsOf, matches, tagSet } from './ec2-filters.js';
import type { NetworkAcl, RouteTable, SecurityGroup, Subnet, Vpc } from './ec2-records.js';
import { newRouteTable } from './ec2-route-table-actions.js';
import { newSecurityGroup } from './ec2-security-group-actions.js';
import { describeRecords, notFound } from './ec2-tag-actions.js';
import { zonesOf } from './ec2-zone-actions.js';
import { AwsError, required, type XmlValue } from './query-protocol.js';

const vpcNotFound = notFound('InvalidVpcID.NotFound', 'vpc');
const subnetNotFound = notFound('InvalidSubnetID.NotFound', 'subnet');

// Attribute names as DescribeVpcAttribute spells them, with AWS's defaults for a new VPC.
const VPC_ATTRIBUTES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'];

function vpcXml(state: EndpointState, v: Vpc): XmlValue {
  return {
    vpcId: v.vpcId,
    ownerId: state.accountId,
    state: 'available',
    cidrBlock: v.cidrBlock,
    cidrBlockAssociationSet: [
      { associationId: v.cidrAssociationId, cidrBlock: v.cidrBlock, cidrBlockState: { state: 'associated' } },
    ],
    ipv6CidrBlockAssociationSet: [],
    dhcpOptionsId: v.dhcpOptionsId,
    instanceTenancy: v.instanceTenancy,
    isDefault: false,
    tagSet: tagSet(state, v.vpcId),
  };
}

function subnetXml(state: EndpointState, region: string, s: Subnet): XmlValue {
  const a = s.attributes;
  return {
    subnetId: s.subnetId,
    subnetArn: `arn:aws:ec2:${region}:${state.accountId}:subnet/${s.subnetId}`,
    state: 'available',
    vpcId: s.vpcId,
    ownerId: state.accountId,
    cidrBlock: s.cidrBlock,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId,
    availableIpAddressCount: 251,
    defaultForAz: false,
    mapPublicIpOnLaunch: a.mapPublicIpOnLaunch ?? false,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: a.assignIpv6AddressOnCreation ?? false,
    ipv6CidrBlockAssociationSet: [],
    enableDns64: a.enableDns64 ?? false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: {
      hostnameType: a.privateDnsHostnameTypeOnLaunch ?? 'ip-name',
      enableResourceNameDnsARecord: a.enableResourceNameDnsARecordOnLaunch ?? false,
      enableResourceNameDnsAAAARecord: a.enableResourceNameDnsAAAARecordOnLaunch ?? false,
    },
    tagSet: tagSet(state, s.subnetId),
  };
}

function needVpc(state: EndpointState, id: string): Vpc {
  const v = state.get<Vpc>('vpc', id);
  if (!v) throw vpcNotFound(id);
  return v;
}

/** `Name.Value=true` fields of a Modify*Attribute call, by attribute name (lowerCamelCase). */
function booleanAttributes(p: Record<string, string>): Record<string, boolean | string> {
  const out: Record<string, boolean | string> = {};
  for (const [k, v] of Object.entries(p)) {
    const m = /^([A-Za-z0-9]+)(?:\.Value)?$/.exec(k);
    if (!m || ['Action', 'Version', 'VpcId', 'SubnetId'].includes(m[1]!)) continue;
    const name = m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1);
    out[name] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

export const VPC_ACTIONS: Record<string, ActionHandler> = {
  CreateVpc: ({ params, state }) => {
    const vpcId = state.newId('vpc');
    const v = state.put<Vpc>('vpc', vpcId, {
      vpcId,
      cidrBlock: required(params, 'CidrBlock'),
      instanceTenancy: params.InstanceTenancy ?? 'default',
      dhcpOptionsId: 'dopt-0default0000000',
      cidrAssociationId: state.newId('vpc-cidr-assoc'),
      attributes: { enableDnsSupport: true, enableDnsHostnames: false, enableNetworkAddressUsageMetrics: false },
    });
    applyTagSpecifications(state, params, vpcId, 'vpc');
    // What AWS makes with every VPC: a main route table, a default security group and network ACL.
    newRouteTable(state, v, true);
    newSecurityGroup(state, vpcId, 'default', 'default VPC security group', true);
    const aclId = state.newId('acl');
    state.put<NetworkAcl>('network-acl', aclId, { networkAclId: aclId, vpcId, isDefault: true });
    return { vpc: vpcXml(state, v) };
  },
  DescribeVpcs: ({ params, state }) => {
    const filters = filtersOf(params);
    const vpcs = describeRecords<Vpc>(state, 'vpc', idsOf(params, 'VpcId'), vpcNotFound, (v) =>
      matches(
        filters,
        { 'vpc-id': v.vpcId, 'cidr-block': v.cidrBlock, 'is-default': 'false', state: 'available' },
        state.tagsOf(v.vpcId),
      ),
    );
    return { vpcSet: vpcs.map((v) => vpcXml(state, v)) };
  },
  DescribeVpcAttribute: ({ params, state }) => {
    const v = needVpc(state, required(params, 'VpcId'));
    const attribute = required(params, 'Attribute');
    if (!VPC_ATTRIBUTES.includes(attribute))
      throw new AwsError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid.`);
    return { vpcId: v.vpcId, [attribute]: { value: v.attributes[attribute] ?? false } };
  },
  ModifyVpcAttribute: ({ params, state }) => {
    const v = needVpc(state, required(params, 'VpcId'));
    Object.assign(v.attributes, booleanAttributes(params));
    return { return: true };
  },
  DeleteVpc: ({ params, state }) => {
    const v = needVpc(state, required(params, 'VpcId'));
    const inUse =
      state.list<Subnet>('subnet').some((s) => s.vpcId === v.vpcId) ||
      state.list<SecurityGroup>('security-group').some((g) => g.vpcId === v.vpcId && g.groupName !== 'default') ||
      state.list<RouteTable>('route-table').some((t) => t.vpcId === v.vpcId && !t.associations.some((a) => a.main));
    if (inUse)
      throw new AwsError('DependencyViolation', `The vpc '${v.vpcId}' has dependencies and cannot be deleted.`);
    for (const t of state.list<RouteTable>('route-table'))
      if (t.vpcId === v.vpcId) state.remove('route-table', t.routeTableId);
    for (const g of state.list<SecurityGroup>('security-group'))
      if (g.vpcId === v.vpcId) state.remove('security-group', g.groupId);
    for (const a of state.list<NetworkAcl>('network-acl'))
      if (a.vpcId === v.vpcId) state.remove('network-acl', a.networkAclId);
    state.remove('vpc', v.vpcId);
    return { return: true };
  },
  DescribeNetworkAcls: ({ params, state }) => {
    const filters = filtersOf(params);
    const acls = describeRecords<NetworkAcl>(
      state,
      'network-acl',
      idsOf(params, 'NetworkAclId'),
      notFound('InvalidNetworkAclID.NotFound', 'network ACL'),
      (a) => matches(filters, { 'vpc-id': a.vpcId, default: String(a.isDefault), 'network-acl-id': a.networkAclId }),
    );
    return {
      networkAclSet: acls.map((a) => ({
        networkAclId: a.networkAclId,
        vpcId: a.vpcId,
        default: a.isDefault,
        ownerId: state.accountId,
        entrySet: [],
        associationSet: [],
        tagSet: tagSet(state, a.networkAclId),
      })),
    };
  },
  CreateSubnet: ({ params, state, region }) => {
    const vpc = needVpc(state, required(params, 'VpcId'));
    const zones = zonesOf(region);
    const zone =
      zones.find((z) => z.name === params.AvailabilityZone || z.id === params.AvailabilityZoneId) ?? zones[0]!;
    const cidrBlock = required(params, 'CidrBlock');
    if (state.list<Subnet>('subnet').some((s) => s.vpcId === vpc.vpcId && s.cidrBlock === cidrBlock))
      throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${cidrBlock}' conflicts with another subnet`);
    const subnetId = state.newId('subnet');
    const s = state.put<Subnet>('subnet', subnetId, {
      subnetId,
      vpcId: vpc.vpcId,
      cidrBlock,
      availabilityZone: zone.name,
      availabilityZoneId: zone.id,
      attributes: {},
    });
    applyTagSpecifications(state, params, subnetId, 'subnet');
    return { subnet: subnetXml(state, region, s) };
  },
  DescribeSubnets: ({ params, state, region }) => {
    const filters = filtersOf(params);
    const subnets = describeRecords<Subnet>(state, 'subnet', idsOf(params, 'SubnetId'), subnetNotFound, (s) =>
      matches(
        filters,
        {
          'subnet-id': s.subnetId,
          'vpc-id': s.vpcId,
          'cidr-block': s.cidrBlock,
          'availability-zone': s.availabilityZone,
          state: 'available',
        },
        state.tagsOf(s.subnetId),
      ),
    );
    return { subnetSet: subnets.map((s) => subnetXml(state, region, s)) };
  },
  ModifySubnetAttribute: ({ params, state }) => {
    const s = state.get<Subnet>('subnet', required(params, 'SubnetId'));
    if (!s) throw subnetNotFound(params.SubnetId ?? '');
    Object.assign(s.attributes, booleanAttributes(params));
    return { return: true };
  },
  DeleteSubnet: ({ params, state }) => {
    const id = required(params, 'SubnetId');
    if (!state.get('subnet', id)) throw subnetNotFound(id);
    // Route table associations go with the subnet, as in EC2.
    for (const t of state.list<RouteTable>('route-table'))
      t.associations = t.associations.filter((a) => a.subnetId !== id);
    state.remove('subnet', id);
    return { return: true };
  },
  // The endpoint runs no instances, so no interfaces linger in a subnet or group being deleted.
  DescribeNetworkInterfaces: () => ({ networkInterfaceSet: [] }),
};
