import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { applyTagSpecifications, filtersOf, idsOf, matches, tagSet } from './ec2-filters.js';
import type { Address, InternetGateway, NatGateway, Subnet } from './ec2-records.js';
import { describeRecords, notFound } from './ec2-tag-actions.js';
import { AwsError, listParam, required, type XmlValue } from './query-protocol.js';

// Internet gateways, Elastic IPs and NAT gateways: the optional way out of the private network.

const igwNotFound = notFound('InvalidInternetGatewayID.NotFound', 'internetGateway');
const natNotFound = (id: string) => new AwsError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`);
const allocationNotFound = (id: string) =>
  new AwsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);

function igwXml(state: EndpointState, g: InternetGateway): XmlValue {
  return {
    internetGatewayId: g.internetGatewayId,
    ownerId: state.accountId,
    attachmentSet: g.vpcId ? [{ vpcId: g.vpcId, state: 'available' }] : [],
    tagSet: tagSet(state, g.internetGatewayId),
  };
}

function addressXml(state: EndpointState, region: string, a: Address): XmlValue {
  return {
    publicIp: a.publicIp,
    allocationId: a.allocationId,
    domain: a.domain,
    associationId: a.associationId,
    networkInterfaceId: a.networkInterfaceId,
    networkInterfaceOwnerId: a.networkInterfaceId ? state.accountId : undefined,
    privateIpAddress: a.privateIpAddress,
    publicIpv4Pool: 'amazon',
    networkBorderGroup: region,
    tagSet: tagSet(state, a.allocationId),
  };
}

function natXml(state: EndpointState, n: NatGateway): XmlValue {
  const address = state.get<Address>('address', n.allocationId);
  return {
    natGatewayId: n.natGatewayId,
    subnetId: n.subnetId,
    vpcId: n.vpcId,
    state: 'available',
    connectivityType: n.connectivityType,
    createTime: n.createTime,
    natGatewayAddressSet: [
      {
        allocationId: n.allocationId,
        networkInterfaceId: n.networkInterfaceId,
        privateIp: n.privateIp,
        publicIp: address?.publicIp,
        associationId: address?.associationId,
        isPrimary: true,
        status: 'succeeded',
      },
    ],
    tagSet: tagSet(state, n.natGatewayId),
  };
}

function needIgw(state: EndpointState, id: string): InternetGateway {
  const g = state.get<InternetGateway>('internet-gateway', id);
  if (!g) throw igwNotFound(id);
  return g;
}

export const GATEWAY_ACTIONS: Record<string, ActionHandler> = {
  CreateInternetGateway: ({ params, state }) => {
    const internetGatewayId = state.newId('igw');
    const g = state.put<InternetGateway>('internet-gateway', internetGatewayId, { internetGatewayId });
    applyTagSpecifications(state, params, internetGatewayId, 'internet-gateway');
    return { internetGateway: igwXml(state, g) };
  },
  AttachInternetGateway: ({ params, state }) => {
    const g = needIgw(state, required(params, 'InternetGatewayId'));
    if (g.vpcId)
      throw new AwsError('Resource.AlreadyAssociated', `resource ${g.internetGatewayId} is already attached`);
    g.vpcId = required(params, 'VpcId');
    return { return: true };
  },
  DetachInternetGateway: ({ params, state }) => {
    const g = needIgw(state, required(params, 'InternetGatewayId'));
    if (g.vpcId !== params.VpcId)
      throw new AwsError(
        'Gateway.NotAttached',
        `resource ${g.internetGatewayId} is not attached to network ${params.VpcId}`,
      );
    delete g.vpcId;
    return { return: true };
  },
  DescribeInternetGateways: ({ params, state }) => {
    const filters = filtersOf(params);
    const gateways = describeRecords<InternetGateway>(
      state,
      'internet-gateway',
      idsOf(params, 'InternetGatewayId'),
      igwNotFound,
      (g) =>
        matches(
          filters,
          { 'internet-gateway-id': g.internetGatewayId, 'attachment.vpc-id': g.vpcId },
          state.tagsOf(g.internetGatewayId),
        ),
    );
    return { internetGatewaySet: gateways.map((g) => igwXml(state, g)) };
  },
  DeleteInternetGateway: ({ params, state }) => {
    const g = needIgw(state, required(params, 'InternetGatewayId'));
    if (g.vpcId)
      throw new AwsError('DependencyViolation', `The internetGateway '${g.internetGatewayId}' has dependencies`);
    state.remove('internet-gateway', g.internetGatewayId);
    return { return: true };
  },
  AllocateAddress: ({ params, state, region }) => {
    const allocationId = state.newId('eipalloc');
    const n = state.table('address').size + 10;
    const a = state.put<Address>('address', allocationId, {
      allocationId,
      publicIp: `203.0.113.${n}`,
      domain: params.Domain ?? 'vpc',
    });
    applyTagSpecifications(state, params, allocationId, 'elastic-ip');
    return {
      publicIp: a.publicIp,
      allocationId,
      domain: a.domain,
      publicIpv4Pool: 'amazon',
      networkBorderGroup: region,
    };
  },
  DescribeAddresses: ({ params, state, region }) => {
    const filters = filtersOf(params);
    const ips = listParam(params, 'PublicIp');
    const addresses = describeRecords<Address>(
      state,
      'address',
      idsOf(params, 'AllocationId'),
      allocationNotFound,
      (a) =>
        (ips.length === 0 || ips.includes(a.publicIp)) &&
        matches(
          filters,
          {
            'allocation-id': a.allocationId,
            'public-ip': a.publicIp,
            domain: a.domain,
            'association-id': a.associationId,
          },
          state.tagsOf(a.allocationId),
        ),
    );
    return { addressesSet: addresses.map((a) => addressXml(state, region, a)) };
  },
  DescribeAddressesAttribute: ({ params, state }) => {
    const addresses = listParam(params, 'AllocationId').map((id) => {
      const a = state.get<Address>('address', id);
      if (!a) throw allocationNotFound(id);
      return a;
    });
    return { addressSet: addresses.map((a) => ({ publicIp: a.publicIp, allocationId: a.allocationId })) };
  },
  DisassociateAddress: ({ params, state }) => {
    const id = required(params, 'AssociationId');
    const a = state.list<Address>('address').find((x) => x.associationId === id);
    if (!a) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
    delete a.associationId;
    delete a.networkInterfaceId;
    delete a.privateIpAddress;
    return { return: true };
  },
  ReleaseAddress: ({ params, state }) => {
    const id = required(params, 'AllocationId');
    const a = state.get<Address>('address', id);
    if (!a) throw allocationNotFound(id);
    if (a.associationId) throw new AwsError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`);
    state.remove('address', id);
    return { return: true };
  },
  CreateNatGateway: ({ params, state }) => {
    const subnet = state.get<Subnet>('subnet', required(params, 'SubnetId'));
    if (!subnet) throw notFound('InvalidSubnetID.NotFound', 'subnet')(params.SubnetId ?? '');
    const natGatewayId = state.newId('nat');
    const networkInterfaceId = state.newId('eni');
    const privateIp = subnet.cidrBlock.replace(/\.\d+\/\d+$/, '.10');
    const address = state.get<Address>('address', params.AllocationId);
    if (params.AllocationId && !address) throw allocationNotFound(params.AllocationId);
    if (address)
      Object.assign(address, {
        associationId: state.newId('eipassoc'),
        networkInterfaceId,
        privateIpAddress: privateIp,
      });
    const n = state.put<NatGateway>('nat-gateway', natGatewayId, {
      natGatewayId,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      ...(params.AllocationId ? { allocationId: params.AllocationId } : {}),
      connectivityType: params.ConnectivityType ?? 'public',
      networkInterfaceId,
      privateIp,
      createTime: new Date().toISOString(),
    });
    applyTagSpecifications(state, params, natGatewayId, 'natgateway');
    return { natGateway: natXml(state, n) };
  },
  DescribeNatGateways: ({ params, state }) => {
    const filters = filtersOf(params);
    const gateways = describeRecords<NatGateway>(
      state,
      'nat-gateway',
      idsOf(params, 'NatGatewayId'),
      natNotFound,
      (n) =>
        matches(
          filters,
          { 'nat-gateway-id': n.natGatewayId, 'subnet-id': n.subnetId, 'vpc-id': n.vpcId, state: 'available' },
          state.tagsOf(n.natGatewayId),
        ),
    );
    return { natGatewaySet: gateways.map((n) => natXml(state, n)) };
  },
  DeleteNatGateway: ({ params, state }) => {
    const id = required(params, 'NatGatewayId');
    const n = state.get<NatGateway>('nat-gateway', id);
    if (!n) throw natNotFound(id);
    const address = state.get<Address>('address', n.allocationId);
    if (address) {
      delete address.associationId;
      delete address.networkInterfaceId;
      delete address.privateIpAddress;
    }
    // Deleted gateways vanish at once here; AWS lists them as `deleted` for a while.
    state.remove('nat-gateway', id);
    return { natGatewayId: id };
  },
};
