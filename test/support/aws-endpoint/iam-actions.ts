import type { ActionHandler, ServiceDefinition } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { AwsError, intParam, listParam, type Params, required, structList, type XmlValue } from './query-protocol.js';

// IAM roles and their inline policies. IAM answers policy documents URL-encoded.

interface Role {
  roleName: string;
  roleId: string;
  path: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  createDate: string;
  tags: Map<string, string>;
  policies: Map<string, string>;
}

const roleNotFound = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);

function needRole(state: EndpointState, name: string): Role {
  const r = state.get<Role>('iam-role', name);
  if (!r) throw roleNotFound(name);
  return r;
}

const tagsXml = (tags: Map<string, string>) => [...tags.entries()].map(([Key, Value]) => ({ Key, Value }));

function roleXml(state: EndpointState, r: Role): XmlValue {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: `arn:aws:iam::${state.accountId}:role${r.path}${r.roleName}`,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(r.assumeRolePolicyDocument),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    Tags: r.tags.size > 0 ? tagsXml(r.tags) : undefined,
    RoleLastUsed: {},
  };
}

function setTags(tags: Map<string, string>, p: Params): void {
  for (const t of structList(p, 'Tags.member')) if (t.Key !== undefined) tags.set(t.Key, t.Value ?? '');
}

const ACTIONS: Record<string, ActionHandler> = {
  CreateRole: ({ params, state }) => {
    const roleName = required(params, 'RoleName');
    if (state.get('iam-role', roleName))
      throw new AwsError('EntityAlreadyExists', `Role with name ${roleName} already exists.`, 409);
    const r = state.put<Role>('iam-role', roleName, {
      roleName,
      roleId: `AROA${state.newId('x').slice(3, 19).toUpperCase()}`,
      path: params.Path ?? '/',
      assumeRolePolicyDocument: required(params, 'AssumeRolePolicyDocument'),
      ...(params.Description ? { description: params.Description } : {}),
      maxSessionDuration: intParam(params, 'MaxSessionDuration') ?? 3600,
      createDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      tags: new Map(),
      policies: new Map(),
    });
    setTags(r.tags, params);
    return { Role: roleXml(state, r) };
  },
  GetRole: ({ params, state }) => ({ Role: roleXml(state, needRole(state, required(params, 'RoleName'))) }),
  UpdateRole: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    if (params.Description !== undefined) r.description = params.Description;
    const max = intParam(params, 'MaxSessionDuration');
    if (max !== undefined) r.maxSessionDuration = max;
    return {};
  },
  UpdateRoleDescription: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    r.description = params.Description ?? '';
    return { Role: roleXml(state, r) };
  },
  UpdateAssumeRolePolicy: ({ params, state }) => {
    needRole(state, required(params, 'RoleName')).assumeRolePolicyDocument = required(params, 'PolicyDocument');
    return {};
  },
  TagRole: ({ params, state }) => {
    setTags(needRole(state, required(params, 'RoleName')).tags, params);
    return {};
  },
  UntagRole: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    for (const k of listParam(params, 'TagKeys.member')) r.tags.delete(k);
    return {};
  },
  ListRoleTags: ({ params, state }) => ({
    Tags: tagsXml(needRole(state, required(params, 'RoleName')).tags),
    IsTruncated: false,
  }),
  DeleteRole: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    if (r.policies.size > 0)
      throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    state.remove('iam-role', r.roleName);
    return {};
  },
  PutRolePolicy: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    r.policies.set(required(params, 'PolicyName'), required(params, 'PolicyDocument'));
    return {};
  },
  GetRolePolicy: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    const name = required(params, 'PolicyName');
    const doc = r.policies.get(name);
    if (doc === undefined)
      throw new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    return { RoleName: r.roleName, PolicyName: name, PolicyDocument: encodeURIComponent(doc) };
  },
  DeleteRolePolicy: ({ params, state }) => {
    const r = needRole(state, required(params, 'RoleName'));
    const name = required(params, 'PolicyName');
    if (!r.policies.delete(name))
      throw new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    return {};
  },
  ListRolePolicies: ({ params, state }) => ({
    PolicyNames: [...needRole(state, required(params, 'RoleName')).policies.keys()],
    IsTruncated: false,
  }),
  ListAttachedRolePolicies: ({ params, state }) => {
    needRole(state, required(params, 'RoleName'));
    return { AttachedPolicies: [], IsTruncated: false };
  },
  ListInstanceProfilesForRole: ({ params, state }) => {
    needRole(state, required(params, 'RoleName'));
    return { InstanceProfiles: [], IsTruncated: false };
  },
};

export const IAM_SERVICE: ServiceDefinition = {
  name: 'iam',
  protocol: 'query',
  namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  version: '2010-05-08',
  actions: ACTIONS,
};
