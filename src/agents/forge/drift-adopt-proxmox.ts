import { isDeepStrictEqual } from 'node:util';
import type { PlanSpec } from '../../../contracts/index.js';
import type { DriftItem } from '../../store/drift-types.js';
import type { AdoptMapping } from './drift-adopt-types.js';
import { at, resourceType, without } from './drift-value-path.js';

type Params = Extract<PlanSpec, { blueprint: 'proxmox-k3s' }>['params'];
type VmParam = 'cores' | 'memoryMb' | 'diskGb' | 'network';

const VM = 'proxmox_virtual_environment_vm';
const int = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The VM block attributes one param sets on every VM of the stack (the schema's bounds). */
const FIELDS: Record<string, { param: VmParam; path: Array<string | number>; ok: (v: unknown) => boolean }> = {
  cpu: { param: 'cores', path: [0, 'cores'], ok: int(1, 128) },
  memory: { param: 'memoryMb', path: [0, 'dedicated'], ok: int(512, 1_048_576) },
  disk: { param: 'diskGb', path: [0, 'size'], ok: int(4, 65_536) },
  network_device: {
    param: 'network',
    path: [0, 'bridge'],
    ok: (v) => typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v),
  },
};

/**
 * proxmox-k3s: the cores, memory, disk size and bridge of the VMs map to `cores`, `memoryMb`,
 * `diskGb` and `network`, each of which the module sets on every VM alike. So a value is adopted
 * only when every VM of the stack (servers and workers) shows the same one, and nothing else in
 * that block changed; one VM resized by hand is no spec value (Revert puts it back).
 */
export function mapProxmoxK3s(p: Params, drift: readonly DriftItem[], out: AdoptMapping): void {
  const vms = p.servers + p.workers;
  const seen = new Map<VmParam, DriftItem[]>();
  for (const d of drift) {
    const field = resourceType(d.address) === VM ? FIELDS[d.attribute] : undefined;
    if (!field) {
      out.notAdopted.push({
        address: d.address,
        attribute: d.attribute,
        why:
          d.attribute === '(resource)'
            ? 'the resource was deleted; a deletion is no param value (Revert recreates it)'
            : `no proxmox-k3s spec param maps to ${resourceType(d.address) || d.address}.${d.attribute}`,
      });
      continue;
    }
    if (!isDeepStrictEqual(without(d.expected, [field.path]), without(d.actual, [field.path]))) {
      out.notAdopted.push({
        address: d.address,
        attribute: d.attribute,
        why: `only ${field.path.at(-1)} in ${d.attribute} maps to ${field.param}, and more than that changed`,
      });
      continue;
    }
    seen.set(field.param, [...(seen.get(field.param) ?? []), d]);
  }
  for (const [param, items] of seen) {
    const field = Object.values(FIELDS).find((f) => f.param === param)!;
    const values = items.map((d) => at(d.actual, field.path));
    const value = values[0];
    const addresses = new Set(items.map((d) => d.address));
    const why = !values.every((v) => isDeepStrictEqual(v, value))
      ? `${param} is one value for every VM, and the VMs show different ones`
      : addresses.size !== vms
        ? `${param} is one value for every VM, and only ${addresses.size} of the stack's ${vms} VMs show ${JSON.stringify(value)}`
        : !field.ok(value)
          ? `the observed value is not a valid ${param}`
          : undefined;
    if (why) {
      for (const d of items) out.notAdopted.push({ address: d.address, attribute: d.attribute, why });
      continue;
    }
    if (isDeepStrictEqual(p[param], value)) continue;
    const to = value as number | string;
    out.set[param] = to;
    out.adopted.push({ param, from: p[param], to, address: items[0]!.address, attribute: items[0]!.attribute });
  }
}
