import { configExpressions, configOf, ofType, referencedResources } from '../plan/index-plan.js';
import { asRecord } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { memoize } from '../rules/rule-types.js';
import { ownValue } from '../util/own-value.js';
import type { PricingContext } from './cost-types.js';

interface RefSpec {
  path: string[];
  /** Attributes of the block at `path` that hold the referenced resource's id or name. */
  keys: string[];
}

const TEMPLATE_SPECS: RefSpec[] = [
  { path: ['launch_template'], keys: ['id', 'name'] },
  {
    path: ['mixed_instances_policy', 'launch_template', 'launch_template_specification'],
    keys: ['launch_template_id', 'launch_template_name'],
  },
];
const CONFIGURATION_SPECS: RefSpec[] = [{ path: [], keys: ['launch_configuration'] }];

/** First element of a block list, following `path` through nested blocks. */
export function block(values: Record<string, unknown> | null, ...path: string[]): Record<string, unknown> | null {
  let node: unknown = values;
  for (const seg of path) {
    const v = ownValue(asRecord(node), seg);
    node = Array.isArray(v) ? v[0] : v;
  }
  return asRecord(node);
}

export function sideValues(pc: PricingContext, r: PlanResource): Record<string, unknown> | null {
  return pc.side === 'after' ? (r.kind === 'delete' ? null : r.after) : r.before;
}

/** Resources of `type` on one side by id and by name, built once per evaluation. */
function byKey(pc: PricingContext, type: string): Map<string, Record<string, unknown>> {
  return memoize(pc.ctx, `byKey:${type}:${pc.side}`, () => {
    const map = new Map<string, Record<string, unknown>>();
    for (const r of ofType(pc.ctx.index, type)) {
      const v = sideValues(pc, r);
      for (const key of [v?.id, v?.name]) if (v && typeof key === 'string' && key !== '') map.set(key, v);
    }
    return map;
  });
}

/** The resource of `type` a block of `r` names: by id or name value, else by configuration reference. */
function findReferenced(
  pc: PricingContext,
  r: PlanResource,
  values: Record<string, unknown>,
  type: string,
  specs: RefSpec[],
): Record<string, unknown> | null {
  const known = byKey(pc, type);
  for (const spec of specs) {
    const ref = spec.path.length === 0 ? values : block(values, ...spec.path);
    if (!ref) continue;
    for (const attr of spec.keys) {
      const key = ref[attr];
      const hit = typeof key === 'string' && key !== '' ? known.get(key) : undefined;
      if (hit) return hit;
    }
    // Ids and generated names of resources created in this plan are unknown: follow the configuration.
    if (pc.side !== 'after') continue;
    const modulePath = configOf(pc.ctx.index, r)?.modulePath ?? '';
    for (const attr of spec.keys) {
      for (const expr of configExpressions(pc.ctx.index, r, [...spec.path, attr].join('.'))) {
        for (const refText of expr.references) {
          const target = referencedResources(pc.ctx.index, refText, modulePath).find((t) => t.type === type);
          const v = target ? sideValues(pc, target) : null;
          if (v) return v;
        }
      }
    }
  }
  return null;
}

export type LaunchSource =
  { kind: 'template'; values: Record<string, unknown> } | { kind: 'configuration'; values: Record<string, unknown> };

/**
 * What an ASG launches from: the launch template or launch configuration it references. Never a
 * guess: a group whose source is not in the plan is unpriced, not priced as some other template.
 */
export function findLaunchSource(
  pc: PricingContext,
  asg: PlanResource,
  values: Record<string, unknown>,
): LaunchSource | null {
  const lc = findReferenced(pc, asg, values, 'aws_launch_configuration', CONFIGURATION_SPECS);
  if (lc) return { kind: 'configuration', values: lc };
  const lt = findReferenced(pc, asg, values, 'aws_launch_template', TEMPLATE_SPECS);
  return lt ? { kind: 'template', values: lt } : null;
}
