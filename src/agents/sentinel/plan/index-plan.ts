import { ownValue } from '../util/own-value.js';
import { asRecord, lookupOne, splitPath, type Lookup } from './lookup-value.js';
import { configKeyOf } from './parse-resource-change.js';
import { parseExpression } from './read-configuration.js';
import type { ConfigExpression, ConfigResource, ParsedPlan, PlanResource, StateResource } from './plan-types.js';

// Built once per evaluation so every rule looks resources up in O(1) instead of scanning.
export interface PlanIndex {
  plan: ParsedPlan;
  managed: PlanResource[];
  byType: Map<string, PlanResource[]>;
  byAddress: Map<string, PlanResource>;
  byConfigKey: Map<string, PlanResource[]>;
  priorByAddress: Map<string, StateResource>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexPlan(plan: ParsedPlan): PlanIndex {
  const idx: PlanIndex = {
    plan,
    managed: [],
    byType: new Map(),
    byAddress: new Map(),
    byConfigKey: new Map(),
    priorByAddress: new Map(),
  };
  for (const r of plan.changes) {
    idx.byAddress.set(r.address, r);
    push(idx.byConfigKey, r.configKey, r);
    if (r.mode !== 'managed') continue;
    idx.managed.push(r);
    push(idx.byType, r.type, r);
  }
  for (const s of plan.priorResources) idx.priorByAddress.set(s.address, s);
  return idx;
}

const NONE: PlanResource[] = [];

/** Resources of the given types; one type returns the index's own list (do not mutate it). */
export function ofType(idx: PlanIndex, ...types: string[]): readonly PlanResource[] {
  if (types.length === 1) return idx.byType.get(types[0] ?? '') ?? NONE;
  return types.flatMap((t) => idx.byType.get(t) ?? NONE);
}

/** Resources whose planned state exists after apply (create, update, replace, no-op). */
export function willExist(r: PlanResource): boolean {
  return r.after !== null && r.kind !== 'delete' && r.kind !== 'forget';
}

/** Create, update and replace are what a gate evaluates; no-op is already live. */
export function isChanging(r: PlanResource): boolean {
  return (r.kind === 'create' || r.kind === 'update' || r.kind === 'replace') && r.after !== null;
}

export function configOf(idx: PlanIndex, r: PlanResource): ConfigResource | undefined {
  return idx.plan.configResources.get(r.configKey);
}

/** Every configuration expression at `path` (instance indices ignored; blocks fan out). */
export function configExpressions(idx: PlanIndex, r: PlanResource, path: string): ConfigExpression[] {
  const conf = configOf(idx, r);
  if (!conf) return [];
  const segs = splitPath(path.replace(/\[\d+\]/g, '')).filter((s): s is string => typeof s === 'string');
  let nodes: unknown[] = [conf.expressions];
  for (const seg of segs) {
    nodes = nodes
      .flatMap((n) => (Array.isArray(n) ? n : [n]))
      .map((n) => ownValue(asRecord(n), seg))
      .filter((n) => n !== undefined);
  }
  return nodes
    .flatMap((n) => (Array.isArray(n) ? n : [n]))
    .filter((n) => asRecord(n) !== null)
    .map(parseExpression);
}

export type Resolved = { kind: 'value'; value: unknown } | { kind: 'unknown' } | { kind: 'unresolved' };

/** Splits `aws_vpc.main[0].cidr_block` into the resource key and attribute path. */
function splitResourceRef(ref: string): { key: string; attr: string } | null {
  const parts = configKeyOf(ref).split('.');
  const head = parts[0] === 'data' ? 3 : 2;
  if (parts.length <= head) return null;
  return { key: parts.slice(0, head).join('.'), attr: parts.slice(head).join('.') };
}

/** The plan resources a reference such as `aws_vpc.main.id` points at. */
export function referencedResources(idx: PlanIndex, ref: string, modulePath: string): PlanResource[] {
  if (ref.startsWith('var.') || ref.startsWith('local.') || ref.startsWith('module.')) return [];
  const parts = configKeyOf(ref).split('.');
  const head = parts[0] === 'data' ? 3 : 2;
  if (parts.length < head) return [];
  const key = parts.slice(0, head).join('.');
  return idx.byConfigKey.get(modulePath ? `${modulePath}.${key}` : key) ?? [];
}

export function resolveReference(idx: PlanIndex, ref: string, modulePath: string, depth = 0): Resolved {
  if (depth > 6) return { kind: 'unresolved' };
  if (ref.startsWith('var.')) {
    const name = ref.slice(4).split('.')[0] ?? '';
    if (modulePath === '' && Object.hasOwn(idx.plan.variables, name))
      return { kind: 'value', value: idx.plan.variables[name] };
    return { kind: 'unresolved' };
  }
  if (ref.startsWith('module.')) {
    const [, mod, output] = ref.split('.');
    if (!mod || !output) return { kind: 'unresolved' };
    const childPath = `${modulePath ? `${modulePath}.` : ''}module.${configKeyOf(mod)}`;
    const expr = idx.plan.moduleOutputs.get(childPath)?.get(output)?.expression;
    return expr ? resolveExpression(idx, expr, childPath, depth + 1) : { kind: 'unresolved' };
  }
  const split = splitResourceRef(ref);
  if (!split) return { kind: 'unresolved' };
  const target = idx.byConfigKey.get(modulePath ? `${modulePath}.${split.key}` : split.key)?.[0];
  if (!target || target.after === null) return { kind: 'unresolved' };
  const found: Lookup = lookupOne(target.after, target.afterUnknown, split.attr);
  if (found.kind === 'value') return { kind: 'value', value: found.value };
  return found.kind === 'unknown' ? { kind: 'unknown' } : { kind: 'unresolved' };
}

/** A literal, else the first reference (with an attribute) that resolves. */
export function resolveExpression(idx: PlanIndex, expr: ConfigExpression, modulePath: string, depth = 0): Resolved {
  if (expr.hasConstant) return { kind: 'value', value: expr.constantValue };
  let sawUnknown = false;
  for (const ref of expr.references) {
    const res = resolveReference(idx, ref, modulePath, depth);
    if (res.kind === 'value') return res;
    if (res.kind === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? { kind: 'unknown' } : { kind: 'unresolved' };
}
