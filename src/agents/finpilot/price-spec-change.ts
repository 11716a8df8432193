import type { CostEstimate, PlanSpec } from '../../../contracts/index.js';
import { createAwsSandboxContext } from '../forge/aws-sandbox-context.js';
import { renderAwsComputeSandbox } from '../forge/render-aws-compute-sandbox.js';
import { renderAwsNetworkSandbox } from '../forge/render-aws-network-sandbox.js';
import { Expr, sandboxName, type SandboxResource, type SandboxValue } from '../forge/sandbox-expr.js';
import type { UsageFile } from '../sentinel/cost/read-usage-file.js';
import { evaluatePlan } from '../sentinel/evaluate-plan.js';
import { parsePlanObject } from '../sentinel/plan/read-plan.js';
import { matchesOf } from '../../util/regexps.js';

export interface PriceChangeOptions {
  /** The clock Sentinel prices schedules with (time zone offsets). */
  now: Date;
  /** Live Spot prices, as Sentinel reads them from FinPilot's cache. */
  spotPrices?: Record<string, number>;
  defaultRegion: string;
  usage?: UsageFile;
}

type Resolved = Map<string, Record<string, unknown>>;

const REF = /terraform_data\.([A-Za-z0-9_-]+)\.(id|output\.([A-Za-z0-9_]+))/g;

/** An expression of the sandbox render, resolved the way it reads once the stack exists. */
function resolveExpr(e: Expr, inputs: ReadonlyMap<string, Record<string, SandboxValue>>): unknown {
  const refs = matchesOf(REF, e.template);
  const valueOf = (m: RegExpMatchArray): unknown => {
    const name = m[1] ?? '';
    if (m[2] === 'id') return name;
    const raw = inputs.get(name)?.[m[3] ?? ''];
    return raw === undefined ? null : resolve(raw, inputs);
  };
  if (e.template.includes('toset(')) return refs.map(valueOf);
  if (refs.length === 1 && refs[0]) {
    const v = valueOf(refs[0]);
    return e.template.includes('tostring(') && v !== null ? String(v) : v;
  }
  // Anything else (a policy document built from ids) plays no part in the price.
  return null;
}

function resolve(v: SandboxValue, inputs: ReadonlyMap<string, Record<string, SandboxValue>>): unknown {
  if (v instanceof Expr) return resolveExpr(v, inputs);
  if (Array.isArray(v)) return v.map((x) => resolve(x, inputs));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, inputs)]));
  return v;
}

function renderResources(spec: PlanSpec): SandboxResource[] {
  if (spec.blueprint !== 'aws-spot-ollama') return [];
  const ctx = createAwsSandboxContext(spec);
  return [...renderAwsNetworkSandbox(ctx), ...renderAwsComputeSandbox(ctx)];
}

/** The cloud resources a spec renders to, by address, with ids standing in for what apply assigns. */
function resourceValues(spec: PlanSpec | null): Resolved {
  const list = spec ? renderResources(spec) : [];
  const inputs = new Map(list.map((r) => [sandboxName(r.type, r.name, r.index), r.input]));
  const out: Resolved = new Map();
  for (const r of list) {
    const id = sandboxName(r.type, r.name, r.index);
    const values = resolve(r.input, inputs) as Record<string, unknown>;
    out.set(`${r.type}.${r.name}${r.index === undefined ? '' : `[${r.index}]`}`, { id, ...values });
  }
  return out;
}

function actionsOf(before: unknown, after: unknown): string[] {
  if (before && after) return JSON.stringify(before) === JSON.stringify(after) ? ['no-op'] : ['update'];
  return before ? ['delete'] : ['create'];
}

/**
 * A plan JSON of the change from one spec to another, built from Forge's own rendering of each
 * spec (the resources and attributes the aws target plans), as an applied stack sees it: ids known.
 */
export function specChangePlan(before: PlanSpec | null, after: PlanSpec | null): Record<string, unknown> {
  const was = resourceValues(before);
  const now = resourceValues(after);
  const addresses = [...new Set([...was.keys(), ...now.keys()])].sort();
  return {
    format_version: '1.2',
    resource_changes: addresses.map((address) => {
      const b = was.get(address) ?? null;
      const a = now.get(address) ?? null;
      const [type = '', rest = ''] = address.split(/\.(.*)/s);
      const name = rest.replace(/\[\d+\]$/, '');
      const index = /\[(\d+)\]$/.exec(rest)?.[1];
      return {
        address,
        mode: 'managed',
        type,
        name,
        ...(index !== undefined ? { index: Number(index) } : {}),
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: actionsOf(b, a), before: b, after: a, after_unknown: {} },
      };
    }),
  };
}

/**
 * Sentinel's cost estimate of changing a stack from `before` to `after`: the same evaluation
 * (price file, Spot prices, scheduled hours) a plan of that change gets in review.
 */
export function priceSpecChange(before: PlanSpec | null, after: PlanSpec | null, o: PriceChangeOptions): CostEstimate {
  const parsed = parsePlanObject(specChangePlan(before, after), 'suggestion');
  if (!parsed.ok) throw new Error(parsed.reason);
  const region = after?.region ?? before?.region ?? o.defaultRegion;
  return evaluatePlan(parsed.plan, {
    now: o.now,
    defaultRegion: region,
    ...(o.spotPrices && Object.keys(o.spotPrices).length > 0 ? { spotPrices: o.spotPrices } : {}),
    ...(o.usage ? { usage: o.usage } : {}),
  }).cost;
}
