import { isDeepStrictEqual } from 'node:util';
import type { PlanSpec } from '../../../contracts/index.js';
import type { DriftItem } from '../../store/drift-types.js';
import type { AdoptMapping, ObservedValue } from './drift-adopt-types.js';
import { mapProxmoxK3s } from './drift-adopt-proxmox.js';
import { at, resourceType, without } from './drift-value-path.js';
import { isRecord } from './sandbox-address.js';

export type { AdoptedParam, AdoptMapping, NotAdopted, ObservedValue } from './drift-adopt-types.js';

const SIZES: Record<string, 'desiredCapacity' | 'minSize' | 'maxSize'> = {
  desired_capacity: 'desiredCapacity',
  min_size: 'minSize',
  max_size: 'maxSize',
};
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const MAX_SIZE = 1000;

/** Nothing set but the type: every other field of the override empty (null, "", [] or {}). */
function isPlainOverride(o: unknown): boolean {
  return (
    isRecord(o) &&
    Object.entries(o).every(
      ([k, v]) =>
        k === 'instance_type' ||
        v === null ||
        v === '' ||
        (Array.isArray(v) && v.length === 0) ||
        (isRecord(v) && Object.keys(v).length === 0),
    )
  );
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
    const overridesAt: Array<string | number> = [0, 'launch_template', 0, 'override'];
    const base: Array<string | number> = [0, 'instances_distribution', 0, 'on_demand_base_capacity'];
    const overrides = at(d.actual, overridesAt);
    // The module renders one override per instance type and nothing else in it; an override
    // with more (a weight, instance requirements) says something no param can hold. A type
    // added or removed changes how many there are: that maps too.
    if (
      !Array.isArray(overrides) ||
      !overrides.every(isPlainOverride) ||
      !isDeepStrictEqual(without(d.expected, [base, overridesAt]), without(d.actual, [base, overridesAt]))
    )
      rest = 'instance types and the on-demand base';
    else {
      found.push({
        param: 'instanceTypes',
        value: overrides.map((o) => at(o, ['instance_type'])),
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
 * (aws-spot-ollama: sizes, instance types, the on-demand base, the root volume; proxmox-k3s:
 * the VMs' cores, memory, disk size and bridge, when every VM shows the same value) becomes
 * that param's observed value; every other one is listed with the reason. Other blueprints
 * map nothing (asg-schedule and dns-record stacks are not drift-checked at all). Values come from a remote system: they are
 * type-checked here and against the blueprint's schema by Atlas, never evaluated.
 */
export function mapDriftToParams(spec: PlanSpec, drift: readonly DriftItem[]): AdoptMapping {
  const out: AdoptMapping = { set: {}, adopted: [], notAdopted: [] };
  if (spec.blueprint === 'proxmox-k3s') {
    mapProxmoxK3s(spec.params, drift, out);
    return out;
  }
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
