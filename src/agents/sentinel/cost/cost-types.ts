import type { CostComponent } from '../../../../contracts/index.js';
import type { Side } from '../rules/link-schedules.js';
import type { RuleContext } from '../rules/rule-types.js';
import { ownValue } from '../util/own-value.js';
import type { RegionPrices } from './load-prices.js';
import type { UsageFile } from './read-usage-file.js';

export interface PricingContext {
  ctx: RuleContext;
  prices: RegionPrices;
  region: string;
  hoursPerMonth: number;
  spotDiscount: number;
  spotPrices: Record<string, number>;
  notes: Set<string>;
  side: Side;
  /** Usage values (Infracost's usage file) by resource address. */
  usage?: UsageFile;
}

/** `missing`: a part that could not be priced (the resource is listed and also reported unpriced). */
export type Priced =
  | { kind: 'priced'; components: CostComponent[]; missing?: string }
  | { kind: 'free' }
  | { kind: 'unpriced'; reason: string };

/** A component whose quantity comes from usage: listed at 0 (so at $0) when the usage file does not say. */
export function usageComponent(
  pc: PricingContext,
  address: string,
  name: string,
  unit: string,
  quantity: number | undefined,
  price: number,
): CostComponent {
  if (quantity === undefined)
    pc.notes.add(`${address}: ${name} is usage-based, $${price}/${unit}; 0 without a usage file`);
  return component(`${name}${quantity === undefined ? ' (usage-based)' : ''}`, unit, quantity ?? 0, price);
}

export function component(name: string, unit: string, quantity: number, price: number): CostComponent {
  return { name, unit, quantity, price, monthly: quantity * price };
}

export type Hourly = { ok: true; price: number; market: 'on-demand' | 'spot' } | { ok: false; reason: string };

/** Hourly Linux price; Spot from a live price when given, else on-demand × (1 − discount). */
export function hourlyPrice(pc: PricingContext, instanceType: string, market: 'on-demand' | 'spot'): Hourly {
  const od = ownValue(pc.prices.ec2, instanceType);
  const live = ownValue(pc.spotPrices, instanceType);
  if (market === 'spot' && live !== undefined) return { ok: true, price: live, market };
  if (od === undefined)
    return { ok: false, reason: `no ${market} price for ${instanceType} in ${pc.region} in the price file` };
  if (market === 'on-demand') return { ok: true, price: od, market };
  pc.notes.add(
    `Spot for ${instanceType} priced at on-demand × (1 − ${pc.spotDiscount}) = $${(od * (1 - pc.spotDiscount)).toFixed(4)}/h (default discount; live Spot prices override it)`,
  );
  return { ok: true, price: od * (1 - pc.spotDiscount), market };
}

export interface VolumeSpec {
  type: string;
  sizeGb: number;
  iops: number | null;
  throughput: number | null;
}

/** gp3 includes 3000 IOPS and 125 MBps; io1/io2 bill every provisioned IOPS. */
export function volumeComponents(
  pc: PricingContext,
  label: string,
  v: VolumeSpec,
  share: number,
): CostComponent[] | string {
  const p = ownValue(pc.prices.ebs, v.type);
  if (!p) return `no price for EBS volume type ${v.type} in ${pc.region}`;
  const out = [component(`${label}storage (${v.type})`, 'GB', v.sizeGb * share, p.gbMonth)];
  if (v.type === 'gp3') {
    const iops = Math.max((v.iops ?? 3000) - 3000, 0);
    const thr = Math.max((v.throughput ?? 125) - 125, 0);
    if (iops > 0 && p.iopsMonth !== undefined)
      out.push(component(`${label}provisioned IOPS above 3000 (gp3)`, 'IOPS', iops * share, p.iopsMonth));
    if (thr > 0 && p.throughputMbpsMonth !== undefined)
      out.push(component(`${label}throughput above 125 MBps (gp3)`, 'MBps', thr * share, p.throughputMbpsMonth));
  } else if ((v.type === 'io1' || v.type === 'io2') && p.iopsMonth !== undefined) {
    out.push(component(`${label}provisioned IOPS (${v.type})`, 'IOPS', (v.iops ?? 0) * share, p.iopsMonth));
  }
  return out;
}
