import type { ActionHandler } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { filtersOf, matches } from './ec2-filters.js';
import { AwsError, listParam, structList } from './query-protocol.js';

export const TAG_ACTIONS: Record<string, ActionHandler> = {
  CreateTags: ({ params, state }) => {
    for (const id of listParam(params, 'ResourceId')) {
      for (const t of structList(params, 'Tag')) if (t.Key !== undefined) state.tagsOf(id).set(t.Key, t.Value ?? '');
    }
    return { return: true };
  },
  DeleteTags: ({ params, state }) => {
    const tags = structList(params, 'Tag');
    for (const id of listParam(params, 'ResourceId')) {
      const have = state.tagsOf(id);
      if (tags.length === 0) have.clear();
      for (const t of tags) if (t.Key && (t.Value === undefined || have.get(t.Key) === t.Value)) have.delete(t.Key);
    }
    return { return: true };
  },
  DescribeTags: ({ params, state }) => {
    const filters = filtersOf(params);
    const tagSet = [...state.tags.entries()].flatMap(([id, tags]) =>
      [...tags.entries()]
        .map(([key, value]) => ({ resourceId: id, resourceType: resourceTypeOf(id), key, value }))
        .filter((t) =>
          matches(filters, {
            'resource-id': t.resourceId,
            'resource-type': t.resourceType,
            key: t.key,
            value: t.value,
          }),
        ),
    );
    return { tagSet };
  },
};

const TYPES: Record<string, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  rtb: 'route-table',
  igw: 'internet-gateway',
  nat: 'natgateway',
  eipalloc: 'elastic-ip',
  sg: 'security-group',
  lt: 'launch-template',
  fl: 'vpc-flow-log',
};

function resourceTypeOf(id: string): string {
  return TYPES[id.split('-')[0] ?? ''] ?? 'unknown';
}

/** Records of `type` with these ids (each must exist, as in EC2) or all, kept by `keep`. */
export function describeRecords<T>(
  state: EndpointState,
  type: string,
  ids: string[] | undefined,
  notFound: (id: string) => AwsError,
  keep: (record: T) => boolean,
): T[] {
  if (ids) {
    for (const id of ids) if (!state.get(type, id)) throw notFound(id);
    return ids.map((id) => state.get<T>(type, id)!).filter(keep);
  }
  return state.list<T>(type).filter(keep);
}

export const notFound = (code: string, what: string) => (id: string) =>
  new AwsError(code, `The ${what} ID '${id}' does not exist`);
