import { configExpressions, configOf, referencedResources } from '../plan/index-plan.js';
import type { PlanResource } from '../plan/plan-types.js';
import type { ValueSource } from './inspect-resources.js';
import { memoize, type RuleContext } from './rule-types.js';

// Follows ids between resources (SG → VPC, flow log → VPC): by the known id value, else by the
// configuration reference (ids of resources being created are unknown at plan time).

export interface LinkedValues {
  address: string;
  values: Record<string, unknown>;
  unknown: unknown;
  resource?: PlanResource;
}

function fromChange(r: PlanResource): LinkedValues | null {
  const values = r.after ?? r.before;
  if (!values) return null;
  return { address: r.address, values, unknown: r.after ? r.afterUnknown : {}, resource: r };
}

/** Every known instance of `type` (plan changes, data sources and prior state), keyed by id. */
export function byId(ctx: RuleContext, type: string): Map<string, LinkedValues> {
  return memoize(ctx, `byId:${type}`, () => {
    const map = new Map<string, LinkedValues>();
    for (const s of ctx.index.plan.priorResources) {
      if (s.type === type && typeof s.values.id === 'string')
        map.set(s.values.id, { address: s.address, values: s.values, unknown: {} });
    }
    for (const r of ctx.index.plan.changes) {
      if (r.type !== type) continue;
      const v = fromChange(r);
      const id = r.after?.id ?? r.before?.id;
      if (v && typeof id === 'string') map.set(id, v);
    }
    return map;
  });
}

/** All instances of `type` the plan knows about (changes first, then prior state only). */
export function allOfType(ctx: RuleContext, type: string): LinkedValues[] {
  return memoize(ctx, `all:${type}`, () => {
    const out: LinkedValues[] = [];
    const seen = new Set<string>();
    for (const r of ctx.index.plan.changes) {
      if (r.type !== type || r.kind === 'delete') continue;
      const v = fromChange(r);
      if (v) {
        out.push(v);
        seen.add(r.address);
      }
    }
    for (const s of ctx.index.plan.priorResources) {
      if (s.type === type && !seen.has(s.address)) out.push({ address: s.address, values: s.values, unknown: {} });
    }
    return out;
  });
}

/** Resources of `type` that `r.attr` points to; empty when it cannot be told. */
export function linkedBy(
  ctx: RuleContext,
  r: PlanResource,
  src: ValueSource,
  attr: string,
  type: string,
): LinkedValues[] {
  const leaf = src.get(attr)[0];
  if (leaf?.kind === 'value' && typeof leaf.value === 'string') {
    const hit = byId(ctx, type).get(leaf.value);
    if (hit) return [hit];
  }
  const modulePath = configOf(ctx.index, r)?.modulePath ?? '';
  const out: LinkedValues[] = [];
  for (const expr of configExpressions(ctx.index, r, attr)) {
    for (const ref of expr.references) {
      for (const t of referencedResources(ctx.index, ref, modulePath)) {
        const v = t.type === type ? fromChange(t) : null;
        if (v && !out.some((o) => o.address === v.address)) out.push(v);
      }
    }
  }
  return out;
}

/** The linked resource, else the only one of its type in the plan (a common single-VPC stack). */
export function linkedOrOnly(
  ctx: RuleContext,
  r: PlanResource,
  src: ValueSource,
  attr: string,
  type: string,
): LinkedValues | null {
  const linked = linkedBy(ctx, r, src, attr, type);
  if (linked.length > 0) return linked[0] ?? null;
  const all = allOfType(ctx, type);
  return all.length === 1 ? (all[0] ?? null) : null;
}
