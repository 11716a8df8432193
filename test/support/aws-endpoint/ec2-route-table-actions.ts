import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { applyTagSpecifications, filtersOf, idsOf, matches, tagSet } from './ec2-filters.js';
import type { Route, RouteTable, RouteTableAssociation, Vpc } from './ec2-records.js';
import { describeRecords, notFound } from './ec2-tag-actions.js';
import { AwsError, required, type XmlValue } from './query-protocol.js';

const tableNotFound = notFound('InvalidRouteTableID.NotFound', 'route table');

/** A table with the VPC's local route; the VPC's first one is its main table. */
export function newRouteTable(state: EndpointState, vpc: Vpc, main: boolean): RouteTable {
  const routeTableId = state.newId('rtb');
  const associations: RouteTableAssociation[] = main
    ? [{ routeTableAssociationId: state.newId('rtbassoc'), routeTableId, main: true }]
    : [];
  return state.put<RouteTable>('route-table', routeTableId, {
    routeTableId,
    vpcId: vpc.vpcId,
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations,
  });
}

function associationXml(a: RouteTableAssociation): XmlValue {
  return {
    main: a.main,
    routeTableAssociationId: a.routeTableAssociationId,
    routeTableId: a.routeTableId,
    subnetId: a.subnetId,
    gatewayId: a.gatewayId,
    associationState: { state: 'associated' },
  };
}

function tableXml(state: EndpointState, t: RouteTable): XmlValue {
  return {
    routeTableId: t.routeTableId,
    vpcId: t.vpcId,
    ownerId: state.accountId,
    routeSet: t.routes.map((r) => ({
      destinationCidrBlock: r.destinationCidrBlock,
      gatewayId: r.gatewayId,
      natGatewayId: r.natGatewayId,
      state: 'active',
      origin: r.origin,
    })),
    associationSet: t.associations.map(associationXml),
    propagatingVgwSet: [],
    tagSet: tagSet(state, t.routeTableId),
  };
}

function needTable(state: EndpointState, id: string): RouteTable {
  const t = state.get<RouteTable>('route-table', id);
  if (!t) throw tableNotFound(id);
  return t;
}

function routeOf(p: Record<string, string>): Route {
  const route: Route = { destinationCidrBlock: required(p, 'DestinationCidrBlock'), origin: 'CreateRoute' };
  if (p.GatewayId) route.gatewayId = p.GatewayId;
  if (p.NatGatewayId) route.natGatewayId = p.NatGatewayId;
  return route;
}

function findAssociation(state: EndpointState, id: string): { table: RouteTable; index: number } {
  for (const table of state.list<RouteTable>('route-table')) {
    const index = table.associations.findIndex((a) => a.routeTableAssociationId === id);
    if (index >= 0) return { table, index };
  }
  throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
}

export const ROUTE_TABLE_ACTIONS: Record<string, ActionHandler> = {
  CreateRouteTable: ({ params, state }) => {
    const vpc = state.get<Vpc>('vpc', required(params, 'VpcId'));
    if (!vpc) throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${params.VpcId}' does not exist`);
    const t = newRouteTable(state, vpc, false);
    applyTagSpecifications(state, params, t.routeTableId, 'route-table');
    return { routeTable: tableXml(state, t) };
  },
  DescribeRouteTables: ({ params, state }) => {
    const filters = filtersOf(params);
    const tables = describeRecords<RouteTable>(
      state,
      'route-table',
      idsOf(params, 'RouteTableId'),
      tableNotFound,
      (t) =>
        matches(
          filters,
          {
            'route-table-id': t.routeTableId,
            'vpc-id': t.vpcId,
            'association.main': t.associations.some((a) => a.main) ? 'true' : 'false',
            'association.subnet-id': t.associations.map((a) => a.subnetId),
            'association.gateway-id': t.associations.map((a) => a.gatewayId),
            'association.route-table-association-id': t.associations.map((a) => a.routeTableAssociationId),
            'association.route-table-id': t.associations.map((a) => a.routeTableId),
          },
          state.tagsOf(t.routeTableId),
        ),
    );
    return { routeTableSet: tables.map((t) => tableXml(state, t)) };
  },
  DeleteRouteTable: ({ params, state }) => {
    const t = needTable(state, required(params, 'RouteTableId'));
    if (t.associations.length > 0)
      throw new AwsError(
        'DependencyViolation',
        `The routeTable '${t.routeTableId}' has dependencies and cannot be deleted.`,
      );
    state.remove('route-table', t.routeTableId);
    return { return: true };
  },
  CreateRoute: ({ params, state }) => {
    const t = needTable(state, required(params, 'RouteTableId'));
    const route = routeOf(params);
    if (t.routes.some((r) => r.destinationCidrBlock === route.destinationCidrBlock))
      throw new AwsError('RouteAlreadyExists', `The route identified by ${route.destinationCidrBlock} already exists.`);
    t.routes.push(route);
    return { return: true };
  },
  ReplaceRoute: ({ params, state }) => {
    const t = needTable(state, required(params, 'RouteTableId'));
    const route = routeOf(params);
    const i = t.routes.findIndex((r) => r.destinationCidrBlock === route.destinationCidrBlock);
    if (i < 0)
      throw new AwsError('InvalidRoute.NotFound', `no route with destination-cidr-block ${route.destinationCidrBlock}`);
    t.routes[i] = route;
    return { return: true };
  },
  DeleteRoute: ({ params, state }) => {
    const t = needTable(state, required(params, 'RouteTableId'));
    const cidr = required(params, 'DestinationCidrBlock');
    const i = t.routes.findIndex((r) => r.destinationCidrBlock === cidr && r.origin === 'CreateRoute');
    if (i < 0)
      throw new AwsError('InvalidRoute.NotFound', `no route with destination-cidr-block ${cidr} in the route table`);
    t.routes.splice(i, 1);
    return { return: true };
  },
  AssociateRouteTable: ({ params, state }) => {
    const t = needTable(state, required(params, 'RouteTableId'));
    const subnetId = params.SubnetId;
    if (
      subnetId &&
      state.list<RouteTable>('route-table').some((x) => x.associations.some((a) => a.subnetId === subnetId))
    )
      throw new AwsError(
        'Resource.AlreadyAssociated',
        `the specified association for route table ${t.routeTableId} conflicts with an existing association`,
      );
    const a: RouteTableAssociation = {
      routeTableAssociationId: state.newId('rtbassoc'),
      routeTableId: t.routeTableId,
      main: false,
      ...(subnetId ? { subnetId } : {}),
      ...(params.GatewayId ? { gatewayId: params.GatewayId } : {}),
    };
    t.associations.push(a);
    return { associationId: a.routeTableAssociationId, associationState: { state: 'associated' } };
  },
  DisassociateRouteTable: ({ params, state }) => {
    const { table, index } = findAssociation(state, required(params, 'AssociationId'));
    table.associations.splice(index, 1);
    return { return: true };
  },
  ReplaceRouteTableAssociation: ({ params, state }) => {
    const { table, index } = findAssociation(state, required(params, 'AssociationId'));
    const target = needTable(state, required(params, 'RouteTableId'));
    const [a] = table.associations.splice(index, 1);
    const moved = { ...a!, routeTableAssociationId: state.newId('rtbassoc'), routeTableId: target.routeTableId };
    target.associations.push(moved);
    return { newAssociationId: moved.routeTableAssociationId, associationState: { state: 'associated' } };
  },
};
