import { randomUUID } from 'node:crypto';
import type { ActionHandler, ServiceDefinition } from './action-context.js';
import { REFRESH_ACTIONS, deleteGroupRefreshes } from './autoscaling-refresh-actions.js';
import { SCHEDULE_ACTIONS, deleteGroupSchedules, findScheduledAction } from './autoscaling-schedule-actions.js';
import type { Subnet } from './ec2-records.js';
import type { LaunchTemplate } from './ec2-launch-template-actions.js';
import type { EndpointState } from './endpoint-state.js';
import { formTree } from './form-tree.js';
import {
  AwsError,
  intParam,
  listParam,
  type Params,
  required,
  structList,
  subParams,
  type XmlValue,
} from './query-protocol.js';

// Auto Scaling groups (awsQuery). The group "runs" as many healthy instances as it desires at
// once, so waits for capacity end on the first read.

interface GroupTag {
  value: string;
  propagateAtLaunch: boolean;
}

export interface AutoScalingGroup {
  name: string;
  arn: string;
  createdTime: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Scalar settings as sent (HealthCheckType, VPCZoneIdentifier, CapacityRebalance, …). */
  settings: Params;
  mixedInstancesPolicy?: Params;
  launchTemplate?: Params;
  terminationPolicies: string[];
  tags: Map<string, GroupTag>;
  instanceIds: string[];
}

// Scalar fields the group keeps as sent and answers back, with AWS's defaults.
const SETTINGS: Record<string, string | undefined> = {
  DefaultCooldown: '300',
  HealthCheckType: 'EC2',
  HealthCheckGracePeriod: '0',
  VPCZoneIdentifier: undefined,
  CapacityRebalance: 'false',
  NewInstancesProtectedFromScaleIn: 'false',
  PlacementGroup: undefined,
  MaxInstanceLifetime: undefined,
  DefaultInstanceWarmup: undefined,
  DesiredCapacityType: undefined,
  Context: undefined,
  LaunchConfigurationName: undefined,
};

const groupNotFound = (name: string) =>
  new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);

export function needGroup(state: EndpointState, name: string): AutoScalingGroup {
  const g = state.get<AutoScalingGroup>('autoscaling-group', name);
  if (!g) throw groupNotFound(name);
  return g;
}

function applySettings(g: AutoScalingGroup, p: Params): void {
  for (const key of Object.keys(SETTINGS)) if (p[key] !== undefined) g.settings[key] = p[key]!;
  g.minSize = intParam(p, 'MinSize') ?? g.minSize;
  g.maxSize = intParam(p, 'MaxSize') ?? g.maxSize;
  g.desiredCapacity = intParam(p, 'DesiredCapacity') ?? Math.min(Math.max(g.desiredCapacity, g.minSize), g.maxSize);
  if (g.minSize > g.maxSize)
    throw new AwsError(
      'ValidationError',
      `Max bound, ${g.maxSize}, must be greater than or equal to min bound, ${g.minSize}`,
    );
  if (g.desiredCapacity < g.minSize || g.desiredCapacity > g.maxSize)
    throw new AwsError(
      'ValidationError',
      `Desired capacity:${g.desiredCapacity} must be between the specified min size:${g.minSize} and max size:${g.maxSize}`,
    );
  const mixed = subParams(p, 'MixedInstancesPolicy');
  if (Object.keys(mixed).length > 0) g.mixedInstancesPolicy = mixed;
  const template = subParams(p, 'LaunchTemplate');
  if (Object.keys(template).length > 0) g.launchTemplate = template;
  const policies = listParam(p, 'TerminationPolicies.member');
  if (policies.length > 0) g.terminationPolicies = policies;
}

function setTags(g: AutoScalingGroup, p: Params): void {
  for (const t of structList(p, 'Tags.member'))
    if (t.Key !== undefined)
      g.tags.set(t.Key, { value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch === 'true' });
}

/** The group's launch template, named as AWS answers it (id, name and version). */
function templateSpec(state: EndpointState, g: AutoScalingGroup): XmlValue {
  const spec = g.mixedInstancesPolicy
    ? subParams(g.mixedInstancesPolicy, 'LaunchTemplate.LaunchTemplateSpecification')
    : (g.launchTemplate ?? {});
  const t = state
    .list<LaunchTemplate>('launch-template')
    .find((x) => x.launchTemplateId === spec.LaunchTemplateId || x.launchTemplateName === spec.LaunchTemplateName);
  return {
    LaunchTemplateId: spec.LaunchTemplateId ?? t?.launchTemplateId,
    LaunchTemplateName: spec.LaunchTemplateName ?? t?.launchTemplateName,
    Version: spec.Version,
  };
}

function mixedXml(state: EndpointState, g: AutoScalingGroup): XmlValue {
  if (!g.mixedInstancesPolicy) return undefined;
  const tree = formTree(g.mixedInstancesPolicy);
  const lt = tree.LaunchTemplate as Record<string, XmlValue> | undefined;
  if (lt) lt.LaunchTemplateSpecification = templateSpec(state, g);
  return tree;
}

function zonesOf(state: EndpointState, g: AutoScalingGroup): string[] {
  const ids = (g.settings.VPCZoneIdentifier ?? '').split(',').filter(Boolean);
  const zones = ids.map((id) => state.get<Subnet>('subnet', id)?.availabilityZone).filter((z) => z !== undefined);
  return [...new Set(zones)];
}

/** As many healthy instances as desired: kept ids, new ones added, extra ones gone. */
function syncInstances(state: EndpointState, g: AutoScalingGroup): void {
  while (g.instanceIds.length > g.desiredCapacity) g.instanceIds.pop();
  while (g.instanceIds.length < g.desiredCapacity) g.instanceIds.push(state.newId('i'));
}

function groupXml(state: EndpointState, g: AutoScalingGroup): XmlValue {
  const zones = zonesOf(state, g);
  const overrides = g.mixedInstancesPolicy ? structList(g.mixedInstancesPolicy, 'LaunchTemplate.Overrides.member') : [];
  const settings = Object.fromEntries(
    Object.entries(SETTINGS).flatMap(([k, dflt]) => {
      const v = g.settings[k] ?? dflt;
      return v === undefined ? [] : [[k, v]];
    }),
  );
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: g.launchTemplate ? templateSpec(state, g) : undefined,
    MixedInstancesPolicy: mixedXml(state, g),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    ...settings,
    AvailabilityZones: zones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    Instances: g.instanceIds.map((id, i) => ({
      InstanceId: id,
      InstanceType: overrides[0]?.InstanceType,
      AvailabilityZone: zones[i % Math.max(zones.length, 1)],
      LifecycleState: 'InService',
      HealthStatus: 'Healthy',
      LaunchTemplate: templateSpec(state, g),
      ProtectedFromScaleIn: false,
    })),
    CreatedTime: g.createdTime,
    SuspendedProcesses: [],
    EnabledMetrics: [],
    Tags: [...g.tags.entries()].map(([Key, t]) => ({
      ResourceId: g.name,
      ResourceType: 'auto-scaling-group',
      Key,
      Value: t.value,
      PropagateAtLaunch: t.propagateAtLaunch,
    })),
    TerminationPolicies: g.terminationPolicies,
    ServiceLinkedRoleARN: `arn:aws:iam::${state.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    TrafficSources: [],
  };
}

/**
 * A scheduled action runs, as AWS runs it at its time: the group takes the sizes the action
 * names (the others stay) and launches or terminates instances to match.
 */
export function runScheduledAction(state: EndpointState, group: string, name: string): void {
  const a = findScheduledAction(state, group, name);
  const g = needGroup(state, group);
  applySettings(g, {
    ...(a.minSize !== undefined ? { MinSize: String(a.minSize) } : {}),
    ...(a.maxSize !== undefined ? { MaxSize: String(a.maxSize) } : {}),
    ...(a.desiredCapacity !== undefined ? { DesiredCapacity: String(a.desiredCapacity) } : {}),
  });
  syncInstances(state, g);
}

const ACTIONS: Record<string, ActionHandler> = {
  CreateAutoScalingGroup: ({ params, state, region }) => {
    const name = required(params, 'AutoScalingGroupName');
    if (state.get('autoscaling-group', name))
      throw new AwsError(
        'AlreadyExists',
        `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`,
      );
    const g: AutoScalingGroup = {
      name,
      arn: `arn:aws:autoscaling:${region}:${state.accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`,
      createdTime: new Date().toISOString(),
      minSize: intParam(params, 'MinSize') ?? 0,
      maxSize: intParam(params, 'MaxSize') ?? 0,
      desiredCapacity: intParam(params, 'DesiredCapacity') ?? intParam(params, 'MinSize') ?? 0,
      settings: {},
      terminationPolicies: ['Default'],
      tags: new Map(),
      instanceIds: [],
    };
    applySettings(g, params);
    setTags(g, params);
    syncInstances(state, g);
    state.put('autoscaling-group', name, g);
    return {};
  },
  UpdateAutoScalingGroup: ({ params, state }) => {
    const g = needGroup(state, required(params, 'AutoScalingGroupName'));
    applySettings(g, params);
    syncInstances(state, g);
    return {};
  },
  SetDesiredCapacity: ({ params, state }) => {
    const g = needGroup(state, required(params, 'AutoScalingGroupName'));
    applySettings(g, { DesiredCapacity: required(params, 'DesiredCapacity') });
    syncInstances(state, g);
    return {};
  },
  DescribeAutoScalingGroups: ({ params, state }) => {
    const names = listParam(params, 'AutoScalingGroupNames.member');
    const groups = state
      .list<AutoScalingGroup>('autoscaling-group')
      .filter((g) => names.length === 0 || names.includes(g.name));
    return { AutoScalingGroups: groups.map((g) => groupXml(state, g)) };
  },
  DeleteAutoScalingGroup: ({ params, state }) => {
    const g = needGroup(state, required(params, 'AutoScalingGroupName'));
    if (g.instanceIds.length > 0 && params.ForceDelete !== 'true')
      throw new AwsError(
        'ResourceInUse',
        'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
      );
    deleteGroupSchedules(state, g.name);
    deleteGroupRefreshes(state, g.name);
    state.remove('autoscaling-group', g.name);
    return {};
  },
  CreateOrUpdateTags: ({ params, state }) => {
    for (const t of structList(params, 'Tags.member')) {
      const g = needGroup(state, t.ResourceId ?? '');
      setTags(g, {
        'Tags.member.1.Key': t.Key ?? '',
        'Tags.member.1.Value': t.Value ?? '',
        'Tags.member.1.PropagateAtLaunch': t.PropagateAtLaunch ?? 'false',
      });
    }
    return {};
  },
  DeleteTags: ({ params, state }) => {
    for (const t of structList(params, 'Tags.member')) needGroup(state, t.ResourceId ?? '').tags.delete(t.Key ?? '');
    return {};
  },
  DescribeTags: ({ params, state }) => {
    const filters = structList(params, 'Filters.member').map((f) => ({
      name: f.Name,
      values: listParam(f, 'Values.member'),
    }));
    const tags = state.list<AutoScalingGroup>('autoscaling-group').flatMap((g) =>
      [...g.tags.entries()].map(([Key, t]) => ({
        ResourceId: g.name,
        ResourceType: 'auto-scaling-group',
        Key,
        Value: t.value,
        PropagateAtLaunch: t.propagateAtLaunch,
      })),
    );
    const field: Record<string, keyof (typeof tags)[number]> = {
      'auto-scaling-group': 'ResourceId',
      key: 'Key',
      value: 'Value',
    };
    return {
      Tags: tags.filter((t) =>
        filters.every((f) => !f.name || !field[f.name] || f.values.includes(String(t[field[f.name]!]))),
      ),
    };
  },
  // Features the module does not use: AWS answers them empty for a group without them.
  DescribeWarmPool: ({ params, state }) => {
    needGroup(state, required(params, 'AutoScalingGroupName'));
    return { Instances: [] };
  },
  DescribeLifecycleHooks: () => ({ LifecycleHooks: [] }),
  DescribeLoadBalancers: () => ({ LoadBalancers: [] }),
  DescribeLoadBalancerTargetGroups: () => ({ LoadBalancerTargetGroups: [] }),
  DescribeTrafficSources: () => ({ TrafficSources: [] }),
  DescribeScalingActivities: () => ({ Activities: [] }),
  DescribePolicies: () => ({ ScalingPolicies: [] }),
  ...SCHEDULE_ACTIONS,
  ...REFRESH_ACTIONS,
};

export const AUTOSCALING_SERVICE: ServiceDefinition = {
  name: 'autoscaling',
  protocol: 'query',
  namespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  version: '2011-01-01',
  actions: ACTIONS,
};
