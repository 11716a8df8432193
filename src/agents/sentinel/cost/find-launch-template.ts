import { configExpressions, configOf, ofType, referencedResources } from '../plan/index-plan.js';
import { asRecord } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { memoize } from '../rules/rule-types.js';
import { ownValue } from '../util/own-value.js';
import type { PricingContext } from './cost-types.js';

const SPECS = [
  { path: ['launch_template'], id: 'id', name: 'name' },
  {
    path: ['mixed_instances_policy', 'launch_template', 'launch_template_specification'],
    id: 'launch_template_id',
    name: 'launch_template_name',
  },
];

/** First element of a block list, following `path` through nested blocks. */
export function block(values: Record<string, unknown> | null, ...path: string[]): Record<string, unknown> | null {
  let node: unknown = values;
  for (const seg of path) {
    const v = ownValue(asRecord(node), seg);
    node = Array.isArray(v) ? v[0] : v;
  }
  return asRecord(node);
}

function sideValues(pc: PricingContext, r: PlanResource): Record<string, unknown> | null {
  return pc.side === 'after' ? (r.kind === 'delete' ? null : r.after) : r.before;
}

/** Launch templates of one side by id and by name, built once per evaluation. */
function templatesByKey(pc: PricingContext, templates: readonly PlanResource[]): Map<string, Record<string, unknown>> {
  return memoize(pc.ctx, `ltByKey:${pc.side}`, () => {
    const map = new Map<string, Record<string, unknown>>();
    for (const lt of templates) {
      const v = sideValues(pc, lt);
      for (const key of [v?.id, v?.name]) if (v && typeof key === 'string' && key !== '') map.set(key, v);
    }
    return map;
  });
}

/** The launch template an ASG uses: by id, by name, by configuration reference, else the only one. */
export function findLaunchTemplate(
  pc: PricingContext,
  asg: PlanResource,
  values: Record<string, unknown>,
): Record<string, unknown> | null {
  const templates = ofType(pc.ctx.index, 'aws_launch_template');
  const byKey = templatesByKey(pc, templates);
  for (const spec of SPECS) {
    const ref = block(values, ...spec.path);
    if (!ref) continue;
    for (const key of [ref[spec.id], ref[spec.name]]) {
      const hit = typeof key === 'string' && key !== '' ? byKey.get(key) : undefined;
      if (hit) return hit;
    }
    if (pc.side === 'after') {
      const modulePath = configOf(pc.ctx.index, asg)?.modulePath ?? '';
      for (const attr of [spec.id, spec.name]) {
        for (const expr of configExpressions(pc.ctx.index, asg, [...spec.path, attr].join('.'))) {
          for (const refText of expr.references) {
            const hit = referencedResources(pc.ctx.index, refText, modulePath).find(
              (t) => t.type === 'aws_launch_template',
            );
            const v = hit ? sideValues(pc, hit) : null;
            if (v) return v;
          }
        }
      }
    }
  }
  const live = memoize(pc.ctx, `ltLive:${pc.side}`, () =>
    templates.map((t) => sideValues(pc, t)).filter((v): v is Record<string, unknown> => v !== null),
  );
  if (live.length === 1) {
    pc.notes.add(`${asg.address}: launch template matched as the only one in the plan`);
    return live[0] ?? null;
  }
  return null;
}
