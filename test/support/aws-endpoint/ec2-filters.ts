import type { EndpointState } from './endpoint-state.js';
import { listParam, type Params, structList } from './query-protocol.js';

// EC2's `Filter.N.Name` / `Filter.N.Value.M`, tags as `tagSet`, and TagSpecification on create.

export interface Filter {
  name: string;
  values: string[];
}

export function filtersOf(p: Params): Filter[] {
  return structList(p, 'Filter').map((f) => ({ name: f.Name ?? '', values: listParam(f, 'Value') }));
}

type FieldValue = string | number | boolean | undefined | (string | undefined)[];

/** Filters on unknown names are ignored; `tag:K` and `tag-key` look at the resource's tags. */
export function matches(filters: Filter[], fields: Record<string, FieldValue>, tags?: Map<string, string>): boolean {
  return filters.every((f) => {
    if (f.name.startsWith('tag:')) {
      const v = tags?.get(f.name.slice(4));
      return v !== undefined && f.values.some((x) => wildcard(x, v));
    }
    if (f.name === 'tag-key') return [...(tags?.keys() ?? [])].some((k) => f.values.includes(k));
    if (!(f.name in fields)) return true;
    const raw = fields[f.name];
    const have = (Array.isArray(raw) ? raw : [raw]).filter((x) => x !== undefined).map(String);
    return have.some((h) => f.values.some((x) => wildcard(x, h)));
  });
}

function wildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

export function tagSet(state: EndpointState, id: string): { key: string; value: string }[] {
  return [...state.tagsOf(id).entries()].map(([key, value]) => ({ key, value }));
}

/** Tags of `TagSpecification.N` whose ResourceType is `resourceType` (or any, when omitted). */
export function applyTagSpecifications(state: EndpointState, p: Params, id: string, resourceType?: string): void {
  for (const spec of structList(p, 'TagSpecification')) {
    if (resourceType && spec.ResourceType && spec.ResourceType !== resourceType) continue;
    for (const t of structList(spec, 'Tag')) if (t.Key !== undefined) state.tagsOf(id).set(t.Key, t.Value ?? '');
  }
}

/** The ids a Describe call names (`VpcId.N`…), or undefined when it names none. */
export function idsOf(p: Params, prefix: string): string[] | undefined {
  const ids = listParam(p, prefix);
  return ids.length > 0 ? ids : undefined;
}
