import type { ActionHandler, ActionResult } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { applyTagSpecifications, filtersOf, idsOf, matches, tagSet } from './ec2-filters.js';
import type { SecurityGroup, SecurityGroupRule } from './ec2-records.js';
import { describeRecords } from './ec2-tag-actions.js';
import { AwsError, intParam, listParam, type Params, required, structList, type XmlValue } from './query-protocol.js';

const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

const groupNotFound = (id: string) =>
  new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);

/** A group as EC2 creates it: egress to anywhere, plus ingress from itself for a VPC's default group. */
export function newSecurityGroup(
  state: EndpointState,
  vpcId: string,
  groupName: string,
  description: string,
  isDefault: boolean,
): SecurityGroup {
  const groupId = state.newId('sg');
  const rules: SecurityGroupRule[] = [
    { ruleId: state.newId('sgr'), egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
  ];
  if (isDefault)
    rules.push({ ruleId: state.newId('sgr'), egress: false, ipProtocol: '-1', referencedGroupId: groupId });
  return state.put<SecurityGroup>('security-group', groupId, { groupId, groupName, description, vpcId, rules });
}

/** `IpPermissions.N` as single rules: one per CIDR, IPv6 range, group pair or prefix list. */
function rulesOf(state: EndpointState, p: Params, egress: boolean): SecurityGroupRule[] {
  return structList(p, 'IpPermissions').flatMap((perm) => {
    const rawProtocol = perm.IpProtocol ?? '-1';
    const ipProtocol = PROTOCOLS[rawProtocol] ?? rawProtocol;
    const ports = ipProtocol === '-1' ? {} : { fromPort: intParam(perm, 'FromPort'), toPort: intParam(perm, 'ToPort') };
    const base = { egress, ipProtocol, ...ports };
    const one = (extra: Partial<SecurityGroupRule>, description?: string): SecurityGroupRule => ({
      ruleId: state.newId('sgr'),
      ...base,
      ...extra,
      ...(description ? { description } : {}),
    });
    return [
      ...structList(perm, 'IpRanges').map((r) => one({ cidrIpv4: r.CidrIp }, r.Description)),
      ...structList(perm, 'Ipv6Ranges').map((r) => one({ cidrIpv6: r.CidrIpv6 }, r.Description)),
      ...structList(perm, 'Groups').map((r) => one({ referencedGroupId: r.GroupId }, r.Description)),
      ...structList(perm, 'PrefixListIds').map((r) => one({ prefixListId: r.PrefixListId }, r.Description)),
    ];
  });
}

const sameRule = (a: SecurityGroupRule, b: SecurityGroupRule) =>
  a.egress === b.egress &&
  a.ipProtocol === b.ipProtocol &&
  (a.fromPort ?? -1) === (b.fromPort ?? -1) &&
  (a.toPort ?? -1) === (b.toPort ?? -1) &&
  a.cidrIpv4 === b.cidrIpv4 &&
  a.cidrIpv6 === b.cidrIpv6 &&
  a.referencedGroupId === b.referencedGroupId &&
  a.prefixListId === b.prefixListId;

/** AWS groups rules by protocol and ports into one permission with lists of sources. */
function permissions(state: EndpointState, rules: SecurityGroupRule[]): XmlValue[] {
  const byKey = new Map<string, SecurityGroupRule[]>();
  for (const r of rules) {
    const key = `${r.ipProtocol}/${r.fromPort}/${r.toPort}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.values()].map((rs) => {
    const r = rs[0]!;
    const desc = (x: SecurityGroupRule) => (x.description ? { description: x.description } : {});
    return {
      ipProtocol: r.ipProtocol,
      fromPort: r.fromPort,
      toPort: r.toPort,
      groups: rs.flatMap((x) =>
        x.referencedGroupId ? [{ groupId: x.referencedGroupId, userId: state.accountId, ...desc(x) }] : [],
      ),
      ipRanges: rs.flatMap((x) => (x.cidrIpv4 ? [{ cidrIp: x.cidrIpv4, ...desc(x) }] : [])),
      ipv6Ranges: rs.flatMap((x) => (x.cidrIpv6 ? [{ cidrIpv6: x.cidrIpv6, ...desc(x) }] : [])),
      prefixListIds: rs.flatMap((x) => (x.prefixListId ? [{ prefixListId: x.prefixListId, ...desc(x) }] : [])),
    };
  });
}

function groupXml(state: EndpointState, region: string, g: SecurityGroup): XmlValue {
  return {
    ownerId: state.accountId,
    groupId: g.groupId,
    groupName: g.groupName,
    groupDescription: g.description,
    vpcId: g.vpcId,
    securityGroupArn: `arn:aws:ec2:${region}:${state.accountId}:security-group/${g.groupId}`,
    ipPermissions: permissions(
      state,
      g.rules.filter((r) => !r.egress),
    ),
    ipPermissionsEgress: permissions(
      state,
      g.rules.filter((r) => r.egress),
    ),
    tagSet: tagSet(state, g.groupId),
  };
}

function ruleXml(state: EndpointState, region: string, g: SecurityGroup, r: SecurityGroupRule): XmlValue {
  return {
    securityGroupRuleId: r.ruleId,
    groupId: g.groupId,
    groupOwnerId: state.accountId,
    isEgress: r.egress,
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort ?? -1,
    toPort: r.toPort ?? -1,
    cidrIpv4: r.cidrIpv4,
    cidrIpv6: r.cidrIpv6,
    prefixListId: r.prefixListId,
    referencedGroupInfo: r.referencedGroupId ? { groupId: r.referencedGroupId, userId: state.accountId } : undefined,
    description: r.description,
    securityGroupRuleArn: `arn:aws:ec2:${region}:${state.accountId}:security-group-rule/${r.ruleId}`,
    tagSet: [],
  };
}

function needGroup(state: EndpointState, id: string | undefined): SecurityGroup {
  const g = state.get<SecurityGroup>('security-group', id);
  if (!g) throw groupNotFound(id ?? '');
  return g;
}

function authorize(egress: boolean): ActionHandler {
  return ({ params, state, region }) => {
    const g = needGroup(state, required(params, 'GroupId'));
    const added = rulesOf(state, params, egress);
    for (const r of added) {
      if (g.rules.some((x) => sameRule(x, r)))
        throw new AwsError('InvalidPermission.Duplicate', 'the specified rule already exists');
    }
    g.rules.push(...added);
    return { return: true, securityGroupRuleSet: added.map((r) => ruleXml(state, region, g, r)) };
  };
}

function revoke(egress: boolean): ActionHandler {
  return ({ params, state }) => {
    const g = needGroup(state, required(params, 'GroupId'));
    const ids = listParam(params, 'SecurityGroupRuleId');
    const gone = ids.length > 0 ? ids : rulesOf(state, params, egress);
    for (const r of gone) {
      const i = g.rules.findIndex((x) => (typeof r === 'string' ? x.ruleId === r : sameRule(x, r)));
      if (i < 0)
        throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      g.rules.splice(i, 1);
    }
    return { return: true };
  };
}

export const SECURITY_GROUP_ACTIONS: Record<string, ActionHandler> = {
  CreateSecurityGroup: ({ params, state, region }): ActionResult => {
    const vpcId = required(params, 'VpcId');
    const name = required(params, 'GroupName');
    if (state.list<SecurityGroup>('security-group').some((g) => g.vpcId === vpcId && g.groupName === name))
      throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
    const g = newSecurityGroup(state, vpcId, name, params.GroupDescription ?? '', false);
    applyTagSpecifications(state, params, g.groupId, 'security-group');
    return {
      groupId: g.groupId,
      securityGroupArn: `arn:aws:ec2:${region}:${state.accountId}:security-group/${g.groupId}`,
      tagSet: tagSet(state, g.groupId),
    };
  },
  DescribeSecurityGroups: ({ params, state, region }) => {
    const filters = filtersOf(params);
    const names = listParam(params, 'GroupName');
    const groups = describeRecords<SecurityGroup>(
      state,
      'security-group',
      idsOf(params, 'GroupId'),
      groupNotFound,
      (g) =>
        (names.length === 0 || names.includes(g.groupName)) &&
        matches(
          filters,
          { 'group-id': g.groupId, 'group-name': g.groupName, 'vpc-id': g.vpcId, description: g.description },
          state.tagsOf(g.groupId),
        ),
    );
    if (names.length > 0 && groups.length === 0) throw groupNotFound(names[0]!);
    return { securityGroupInfo: groups.map((g) => groupXml(state, region, g)) };
  },
  DescribeSecurityGroupRules: ({ params, state, region }) => {
    const filters = filtersOf(params);
    const ids = listParam(params, 'SecurityGroupRuleId');
    const rules = state
      .list<SecurityGroup>('security-group')
      .flatMap((g) => g.rules.map((r) => ({ g, r })))
      .filter(
        ({ g, r }) =>
          (ids.length === 0 || ids.includes(r.ruleId)) &&
          matches(filters, { 'group-id': g.groupId, 'security-group-rule-id': r.ruleId }),
      );
    return { securityGroupRuleSet: rules.map(({ g, r }) => ruleXml(state, region, g, r)) };
  },
  AuthorizeSecurityGroupIngress: authorize(false),
  AuthorizeSecurityGroupEgress: authorize(true),
  RevokeSecurityGroupIngress: revoke(false),
  RevokeSecurityGroupEgress: revoke(true),
  DeleteSecurityGroup: ({ params, state }) => {
    const g = needGroup(state, required(params, 'GroupId'));
    if (g.groupName === 'default')
      throw new AwsError(
        'CannotDelete',
        `the specified group: "${g.groupId}" name: "default" cannot be deleted by a user`,
      );
    state.remove('security-group', g.groupId);
    return { return: true, groupId: g.groupId };
  },
};
