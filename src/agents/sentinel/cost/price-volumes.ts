import type { CostComponent } from '../../../../contracts/index.js';
import { toNumber } from '../plan/lookup-value.js';
import { volumeComponents, type PricingContext } from './cost-types.js';

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The objects of a list attribute; anything else (a malformed plan) counts as none. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

/** Block devices (instance, launch configuration or template `ebs`) × `share` instance-months. */
export function volumes(
  pc: PricingContext,
  address: string,
  devices: unknown,
  label: string,
  share: number,
  defaultSize: number | null,
): CostComponent[] {
  const out: CostComponent[] = [];
  for (const d of Array.isArray(devices) ? devices : []) {
    const dev = d as Record<string, unknown>;
    const size = toNumber(dev.volume_size) ?? defaultSize;
    if (size === null) {
      pc.notes.add(`${address}: a ${label.trim() || 'volume'} has no known size (from the AMI) and is not priced`);
      continue;
    }
    const type = str(dev.volume_type) ?? 'gp2';
    if (!str(dev.volume_type)) pc.notes.add(`${address}: volume_type unset, priced as gp2 (the EC2 API default)`);
    const comps = volumeComponents(
      pc,
      label,
      { type, sizeGb: size, iops: toNumber(dev.iops), throughput: toNumber(dev.throughput) },
      share,
    );
    if (typeof comps === 'string') pc.notes.add(`${address}: ${comps}`);
    else out.push(...comps);
  }
  return out;
}

/** An instance's root device (8 GB when the AMI decides) and its extra EBS devices. */
export function instanceVolumes(
  pc: PricingContext,
  address: string,
  values: Record<string, unknown>,
  share: number,
): CostComponent[] {
  const root = records(values.root_block_device);
  return [
    ...volumes(pc, address, root.length > 0 ? root : [{}], 'root volume ', share, 8),
    ...volumes(pc, address, values.ebs_block_device, 'EBS volume ', share, null),
  ];
}
