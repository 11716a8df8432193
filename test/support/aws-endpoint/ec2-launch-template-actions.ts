import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { applyTagSpecifications, filtersOf, matches, tagSet } from './ec2-filters.js';
import { formTree, renameKeys } from './form-tree.js';
import { AwsError, intParam, listParam, type Params, subParams, XmlList, type XmlValue } from './query-protocol.js';

// Launch templates keep each version's LaunchTemplateData as sent, and answer it in the
// response's spelling (`BlockDeviceMapping.1` → `blockDeviceMappingSet`).

interface TemplateVersion {
  versionNumber: number;
  description?: string;
  data: Params;
  createTime: string;
}

export interface LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  createTime: string;
  defaultVersion: number;
  versions: TemplateVersion[];
}

const RESPONSE_NAMES: Record<string, string> = {
  BlockDeviceMapping: 'blockDeviceMappingSet',
  NetworkInterface: 'networkInterfaceSet',
  Groups: 'groupSet',
  SecurityGroupId: 'securityGroupIdSet',
  SecurityGroup: 'securityGroupSet',
  TagSpecification: 'tagSpecificationSet',
  Tag: 'tagSet',
  ElasticGpuSpecification: 'elasticGpuSpecificationSet',
  LicenseSpecification: 'licenseSet',
};

function dataXml(data: Params): XmlValue {
  const tree = formTree(data);
  // Inside a network interface the security groups are `SecurityGroupId.N` in, `groupSet` out.
  const nics = tree.NetworkInterface;
  if (Array.isArray(nics))
    for (const nic of nics)
      if (nic && typeof nic === 'object' && !Array.isArray(nic) && 'SecurityGroupId' in nic) {
        nic.Groups = new XmlList('groupId', Array.isArray(nic.SecurityGroupId) ? nic.SecurityGroupId : []);
        delete nic.SecurityGroupId;
      }
  return renameKeys(tree, RESPONSE_NAMES);
}

const latest = (t: LaunchTemplate) => t.versions[t.versions.length - 1]!.versionNumber;

function templateXml(state: EndpointState, t: LaunchTemplate): XmlValue {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    createTime: t.createTime,
    createdBy: `arn:aws:iam::${state.accountId}:user/infracrew-test`,
    defaultVersionNumber: t.defaultVersion,
    latestVersionNumber: latest(t),
    tagSet: tagSet(state, t.launchTemplateId),
  };
}

function versionXml(state: EndpointState, t: LaunchTemplate, v: TemplateVersion): XmlValue {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    versionNumber: v.versionNumber,
    versionDescription: v.description,
    createTime: v.createTime,
    createdBy: `arn:aws:iam::${state.accountId}:user/infracrew-test`,
    defaultVersion: v.versionNumber === t.defaultVersion,
    launchTemplateData: dataXml(v.data),
  };
}

/** By `LaunchTemplateId` or `LaunchTemplateName`, with the error EC2 gives for each. */
function findTemplate(state: EndpointState, p: Params): LaunchTemplate {
  const all = state.list<LaunchTemplate>('launch-template');
  if (p.LaunchTemplateId) {
    const t = all.find((x) => x.launchTemplateId === p.LaunchTemplateId);
    if (t) return t;
    throw new AwsError(
      'InvalidLaunchTemplateId.NotFound',
      `The specified launch template, with template ID ${p.LaunchTemplateId}, does not exist.`,
    );
  }
  const t = all.find((x) => x.launchTemplateName === p.LaunchTemplateName);
  if (t) return t;
  throw new AwsError(
    'InvalidLaunchTemplateName.NotFoundException',
    `The specified launch template, with template name ${p.LaunchTemplateName ?? ''}, does not exist.`,
  );
}

function newVersion(t: LaunchTemplate | undefined, p: Params): TemplateVersion {
  const source = t && p.SourceVersion ? t.versions.find((v) => String(v.versionNumber) === p.SourceVersion) : undefined;
  return {
    versionNumber: t ? latest(t) + 1 : 1,
    ...(p.VersionDescription ? { description: p.VersionDescription } : {}),
    data: { ...(source?.data ?? {}), ...subParams(p, 'LaunchTemplateData') },
    createTime: new Date().toISOString(),
  };
}

export const LAUNCH_TEMPLATE_ACTIONS: Record<string, ActionHandler> = {
  CreateLaunchTemplate: ({ params, state }) => {
    const name = params.LaunchTemplateName ?? '';
    if (state.list<LaunchTemplate>('launch-template').some((t) => t.launchTemplateName === name))
      throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
    const launchTemplateId = state.newId('lt');
    const t = state.put<LaunchTemplate>('launch-template', launchTemplateId, {
      launchTemplateId,
      launchTemplateName: name,
      createTime: new Date().toISOString(),
      defaultVersion: 1,
      versions: [newVersion(undefined, params)],
    });
    applyTagSpecifications(state, params, launchTemplateId, 'launch-template');
    return { launchTemplate: templateXml(state, t) };
  },
  DescribeLaunchTemplates: ({ params, state }) => {
    const ids = listParam(params, 'LaunchTemplateId');
    const names = listParam(params, 'LaunchTemplateName');
    const filters = filtersOf(params);
    const found = [
      ...ids.map((id) => findTemplate(state, { LaunchTemplateId: id })),
      ...names.map((n) => findTemplate(state, { LaunchTemplateName: n })),
    ];
    const templates = (ids.length + names.length > 0 ? found : state.list<LaunchTemplate>('launch-template')).filter(
      (t) =>
        matches(
          filters,
          { 'launch-template-name': t.launchTemplateName, 'launch-template-id': t.launchTemplateId },
          state.tagsOf(t.launchTemplateId),
        ),
    );
    return { launchTemplates: templates.map((t) => templateXml(state, t)) };
  },
  DescribeLaunchTemplateVersions: ({ params, state }) => {
    const t = findTemplate(state, params);
    const wanted = listParam(params, 'LaunchTemplateVersion').map((v) =>
      v === '$Latest' ? latest(t) : v === '$Default' ? t.defaultVersion : Number(v),
    );
    const min = intParam(params, 'MinVersion') ?? 0;
    const max = intParam(params, 'MaxVersion') ?? Number.MAX_SAFE_INTEGER;
    for (const n of wanted)
      if (!t.versions.some((v) => v.versionNumber === n))
        throw new AwsError(
          'InvalidLaunchTemplateId.VersionNotFound',
          `Could not find launch template version ${n} for template ${t.launchTemplateId}`,
        );
    const versions = t.versions.filter(
      (v) =>
        (wanted.length === 0 || wanted.includes(v.versionNumber)) && v.versionNumber >= min && v.versionNumber <= max,
    );
    return { launchTemplateVersionSet: versions.map((v) => versionXml(state, t, v)) };
  },
  CreateLaunchTemplateVersion: ({ params, state }) => {
    const t = findTemplate(state, params);
    const v = newVersion(t, params);
    t.versions.push(v);
    return { launchTemplateVersion: versionXml(state, t, v) };
  },
  ModifyLaunchTemplate: ({ params, state }) => {
    const t = findTemplate(state, params);
    const wanted = params.SetDefaultVersion;
    if (wanted !== undefined) {
      const n = wanted === '$Latest' ? latest(t) : Number(wanted);
      if (!t.versions.some((v) => v.versionNumber === n))
        throw new AwsError(
          'InvalidLaunchTemplateId.VersionNotFound',
          `Could not find launch template version ${wanted}`,
        );
      t.defaultVersion = n;
    }
    return { launchTemplate: templateXml(state, t) };
  },
  DeleteLaunchTemplate: ({ params, state }) => {
    const t = findTemplate(state, params);
    state.remove('launch-template', t.launchTemplateId);
    return { launchTemplate: templateXml(state, t) };
  },
};
