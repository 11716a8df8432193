import { isDeepStrictEqual } from 'node:util';
import type { PlanSpec } from '../../../contracts/index.js';
import type { DriftItem } from '../../store/drift-types.js';
import { isRecord } from './sandbox-address.js';

export type ObservedValue = number | string | string[];

/** One spec param Adopt sets to what the infrastructure has now. */
export interface AdoptedParam {
  param: string;
  from: unknown;
  to: ObservedValue;
  address: string;
  attribute: string;
}

/** One drifted attribute Adopt cannot write into the spec, and why. */
export interface NotAdopted {
  address: string;
  attribute: string;
  why: string;
}

export interface AdoptMapping {
  /** Param → observed value, for the GoalStatement's `drift.set`. */
  set: Record<string, ObservedValue>;
  adopted: AdoptedParam[];
  notAdopted: NotAdopted[];
}

const SIZES: Record<string, 'desiredCapacity' | 'minSize' | 'maxSize'> = {
  desired_capacity: 'desiredCapacity',
  min_size: 'minSize',
  max_size: 'maxSize',
};
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const MAX_SIZE = 1000;

/** `module.ollama.aws_autoscaling_group.ollama[0]` → `aws_autoscaling_group`. */
export function resourceType(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  return parts.at(-2) ?? '';
}

/** `x[0].key[0]…`: undefined as soon as a step is missing. */
function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const k of path) {
    if (typeof k === 'number') v = Array.isArray(v) ? v[k] : undefined;
    else v = isRecord(v) ? v[k] : undefined;
  }
  return v;
}

/** A copy of `value` with the leaves at `paths` blanked: what is left must not have drifted. */
function without(value: unknown, paths: ReadonlyArray<ReadonlyArray<string | number>>): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  for (const path of paths) {
    const parent = at(copy, path.slice(0, -1));
    const last = path.at(-1)!;
    if (Array.isArray(parent) && typeof last === 'number') parent[last] = null;
    else if (isRecord(parent) && typeof last === 'string') parent[last] = null;
  }
  return copy;
}

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SIZE;

type Params = Extract<PlanSpec, { blueprint: 'aws-spot-ollama' }>['params'];

/** One drifted attribute of an aws-spot-ollama stack → the params it maps to, or why none does. */
function mapAwsSpotOllama(p: Params, d: DriftItem, out: AdoptMapping): void {
  const type = resourceType(d.address);
  const found: Array<{ param: keyof Params; value: unknown; ok: (v: unknown) => boolean }> = [];
  let rest: string | undefined;
  if (type === 'aws_autoscaling_group' && Object.hasOwn(SIZES, d.attribute)) {
    found.push({ param: SIZES[d.attribute]!, value: d.actual, ok: isSize });
  } else if (type === 'aws_autoscaling_group' && d.attribute === 'mixed_instances_policy') {
    const overrides = at(d.actual, [0, 'launch_template', 0, 'override']);
    const types = Array.isArray(overrides) ? overrides.map((o) => at(o, ['instance_type'])) : undefined;
    const base: Array<string | number> = [0, 'instances_distribution', 0, 'on_demand_base_capacity'];
    const n = Array.isArray(overrides) ? overrides.length : 0;
    const typePaths = Array.from({ length: n }, (_, i) => [0, 'launch_template', 0, 'override', i, 'instance_type']);
    const expectedOverrides = at(d.expected, [0, 'launch_template', 0, 'override']);
    const sameShape = Array.isArray(expectedOverrides) && expectedOverrides.length === n;
    if (
      !sameShape ||
      !isDeepStrictEqual(without(d.expected, [base, ...typePaths]), without(d.actual, [base, ...typePaths]))
    )
      rest = 'instance types and the on-demand base';
    else {
      found.push({
        param: 'instanceTypes',
        value: types,
        ok: (v) => Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && INSTANCE_TYPE.test(t)),
      });
      found.push({ param: 'onDemandBase', value: at(d.actual, base), ok: isSize });
    }
  } else if (type === 'aws_launch_template' && d.attribute === 'block_device_mappings') {
    const size: Array<string | number> = [0, 'ebs', 0, 'volume_size'];
    if (!isDeepStrictEqual(without(d.expected, [size]), without(d.actual, [size]))) rest = 'the root volume size';
    else
      found.push({
        param: 'volumeGb',
        value: at(d.actual, size),
        ok: (v) => isSize(v) && v > 0,
      });
  }
  if (rest) {
    out.notAdopted.push({
      address: d.address,
      attribute: d.attribute,
      why: `only the ${rest} in ${d.attribute} map to spec params, and more than that changed`,
    });
    return;
  }
  if (found.length === 0) {
    out.notAdopted.push({
      address: d.address,
      attribute: d.attribute,
      why:
        d.attribute === '(resource)'
          ? 'the resource was deleted; a deletion is no param value (Revert recreates it)'
          : `no aws-spot-ollama spec param maps to ${type}.${d.attribute}`,
    });
    return;
  }
  for (const f of found) {
    const from = p[f.param];
    if (isDeepStrictEqual(from, f.value)) continue;
    if (!f.ok(f.value)) {
      out.notAdopted.push({
        address: d.address,
        attribute: d.attribute,
        why: `the observed value is not a valid ${f.param}`,
      });
      continue;
    }
    const to = f.value as ObservedValue;
    out.set[f.param] = to;
    out.adopted.push({ param: f.param, from, to, address: d.address, attribute: d.attribute });
  }
}

/**
 * What Adopt can write into the spec: each drifted attribute that a spec param maps to
 * (sizes, instance types, the on-demand base, the root volume) becomes that param's observed
 * value; every other one is listed with the reason. Values come from a remote system: they are
 * type-checked here and against the blueprint's schema by Atlas, never evaluated.
 */
export function mapDriftToParams(spec: PlanSpec, drift: readonly DriftItem[]): AdoptMapping {
  const out: AdoptMapping = { set: {}, adopted: [], notAdopted: [] };
  for (const d of drift) {
    if (spec.blueprint === 'aws-spot-ollama') mapAwsSpotOllama(spec.params, d, out);
    else
      out.notAdopted.push({
        address: d.address,
        attribute: d.attribute,
        why: `no ${spec.blueprint} spec param maps to ${resourceType(d.address) || d.address}.${d.attribute}`,
      });
  }
  return out;
}
