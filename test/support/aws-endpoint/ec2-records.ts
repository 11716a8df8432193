// Records the EC2 actions keep in the endpoint state, by table name.

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  instanceTenancy: string;
  dhcpOptionsId: string;
  cidrAssociationId: string;
  attributes: Record<string, boolean>;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  attributes: Record<string, boolean | string>;
}

export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string;
  natGatewayId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableAssociation {
  routeTableAssociationId: string;
  routeTableId: string;
  subnetId?: string;
  gatewayId?: string;
  main: boolean;
}

export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
}

export interface InternetGateway {
  internetGatewayId: string;
  vpcId?: string;
}

export interface Address {
  allocationId: string;
  publicIp: string;
  domain: string;
  associationId?: string;
  networkInterfaceId?: string;
  privateIpAddress?: string;
}

export interface NatGateway {
  natGatewayId: string;
  subnetId: string;
  vpcId: string;
  allocationId?: string;
  connectivityType: string;
  networkInterfaceId: string;
  privateIp: string;
  createTime: string;
}

export interface SecurityGroupRule {
  ruleId: string;
  egress: boolean;
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  rules: SecurityGroupRule[];
}

export interface NetworkAcl {
  networkAclId: string;
  vpcId: string;
  isDefault: boolean;
}

export interface FlowLog {
  flowLogId: string;
  resourceId: string;
  trafficType: string;
  logDestinationType: string;
  logDestination?: string;
  logGroupName?: string;
  deliverLogsPermissionArn?: string;
  maxAggregationInterval: number;
  logFormat: string;
  creationTime: string;
}
