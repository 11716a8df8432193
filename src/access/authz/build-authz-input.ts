import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { AccessRules } from '../access-policy.js';
import { identityKey, includesIdentity } from '../normalize-identity.js';
import type { AuthzRequest, AuthzSettings } from './authz-types.js';

/** The stack acted on, as policies see it (`resource.target`, `resource.monthlyUsd`…). */
export interface StackAttributes {
  planId: string;
  state: string;
  blueprint: string;
  target: string;
  region: string;
  riskLevel: string;
  destructive: boolean;
  /** Whole dollars (Cedar has integers only), rounded up. */
  monthlyUsd: number;
  monthlyUsdChange: number;
  environment: string;
  requestedBy?: string;
}

/** Everything a policy engine is asked: one shape for Cedar's entities and OPA's input. */
export interface AuthzInput {
  principal: { id: string; groups: string[] };
  /** The plan's requester, when there is a plan (a policy may ask `resource.requestedBy in Group::"…"`). */
  requester?: { id: string; groups: string[] };
  action: string;
  resource: { id: string; attributes: StackAttributes };
  context: { allowSelfApproval: boolean; approversListed: boolean };
}

export type AuthzRules = Pick<AccessRules, 'approvers' | 'allowSelfApproval'> & { authz?: AuthzSettings };

const dollars = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) ? Math.ceil(n) : 0);

function environmentOf(params: Record<string, unknown> | undefined): string {
  const tags = params?.tags as Record<string, unknown> | undefined;
  const env = params?.environment ?? tags?.environment ?? tags?.Environment;
  return typeof env === 'string' ? env : '';
}

/** Pure: the stack's attributes from what the plan record holds (empty strings and 0 where unknown). */
export function stackAttributes(request: Pick<AuthzRequest, 'plan' | 'target'>): StackAttributes {
  const p = request.plan;
  const s = p?.summary;
  const cost = p?.validation?.cost;
  const monthly = cost?.monthlyUsd;
  const change = cost?.diffMonthlyUsd ?? (typeof monthly === 'number' ? monthly - (cost?.previousMonthlyUsd ?? 0) : 0);
  return {
    planId: p?.id ?? '',
    state: p?.state ?? '',
    blueprint: p?.spec?.blueprint ?? '',
    target: p?.spec?.target ?? p?.target ?? request.target ?? '',
    region: p?.spec?.region ?? '',
    riskLevel: p?.spec?.risk.level ?? '',
    destructive: (s?.delete ?? 0) > 0 || (s?.replace ?? 0) > 0 || p?.spec?.risk.destructive === true,
    monthlyUsd: dollars(monthly),
    monthlyUsdChange: dollars(change),
    environment: environmentOf(p?.spec?.params as Record<string, unknown> | undefined),
    ...(p ? { requestedBy: identityKey(p.requestedBy) } : {}),
  };
}

/** The groups a person is in: `approvers`, and the named groups listing them. */
export function groupsOf(rules: AuthzRules, who: string): string[] {
  const groups: string[] = [];
  if (rules.approvers.length === 0 || includesIdentity(rules.approvers, who)) groups.push('approvers');
  for (const [name, members] of Object.entries(rules.authz?.groups ?? {}))
    if (includesIdentity(members, who)) groups.push(identityKey(name));
  return groups;
}

/**
 * Pure: the question in the policy engine's terms. People and groups are named by their
 * case-folded identity, so a respelled name is the same principal. `approvers` holds everyone
 * when no approvers are listed (today's "anyone but the requester").
 */
export function buildAuthzInput(rules: AuthzRules, request: AuthzRequest): AuthzInput {
  const stack = request.plan?.stack ?? request.plan?.spec?.stack ?? request.stack ?? request.plan?.id ?? '';
  return {
    principal: { id: identityKey(request.by), groups: groupsOf(rules, request.by) },
    ...(request.plan
      ? { requester: { id: identityKey(request.plan.requestedBy), groups: groupsOf(rules, request.plan.requestedBy) } }
      : {}),
    action: request.action,
    resource: { id: stack, attributes: stackAttributes(request) },
    context: { allowSelfApproval: rules.allowSelfApproval, approversListed: rules.approvers.length > 0 },
  };
}

type Uid = { type: string; id: string };

const person = (p: { id: string; groups: string[] }) => ({
  uid: { type: 'Person', id: p.id },
  attrs: {} as Record<string, CedarValueJson>,
  parents: p.groups.map((g) => ({ type: 'Group', id: g })),
});

/** Cedar's request and entities for one question. */
export function cedarRequest(input: AuthzInput): {
  principal: Uid;
  action: Uid;
  resource: Uid;
  context: Record<string, boolean>;
  entities: Array<{ uid: Uid; attrs: Record<string, CedarValueJson>; parents: Uid[] }>;
} {
  const principal = { type: 'Person', id: input.principal.id };
  const resource = { type: 'Stack', id: input.resource.id };
  const { requestedBy, ...attrs } = input.resource.attributes;
  return {
    principal,
    action: { type: 'Action', id: input.action },
    resource,
    context: input.context,
    entities: [
      person(input.principal),
      ...(input.requester && input.requester.id !== input.principal.id ? [person(input.requester)] : []),
      {
        uid: resource,
        attrs: {
          ...(attrs as unknown as Record<string, CedarValueJson>),
          ...(requestedBy !== undefined ? { requestedBy: { __entity: { type: 'Person', id: requestedBy } } } : {}),
        },
        parents: [],
      },
    ],
  };
}
