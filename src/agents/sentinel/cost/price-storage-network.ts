import { toNumber } from '../plan/lookup-value.js';
import { component, volumeComponents, type PricingContext, type Priced } from './cost-types.js';

export function priceEbsVolume(pc: PricingContext, address: string, values: Record<string, unknown>): Priced {
  const size = toNumber(values.size);
  if (size === null) return { kind: 'unpriced', reason: 'size is unknown (from a snapshot?) until apply' };
  let type = typeof values.type === 'string' && values.type !== '' ? values.type : '';
  if (type === '') {
    type = 'gp2';
    pc.notes.add(`${address}: type unset, priced as gp2 (the EC2 API default)`);
  }
  const comps = volumeComponents(
    pc,
    '',
    { type, sizeGb: size, iops: toNumber(values.iops), throughput: toNumber(values.throughput) },
    1,
  );
  return typeof comps === 'string' ? { kind: 'unpriced', reason: comps } : { kind: 'priced', components: comps };
}

/** Every public IPv4 address is billed hourly since February 2024, attached or not. */
export function pricePublicIpv4(pc: PricingContext): Priced {
  return {
    kind: 'priced',
    components: [component('Public IPv4 address', 'hours', pc.hoursPerMonth, pc.prices.publicIpv4Hour)],
  };
}

export function priceRoute53Zone(pc: PricingContext): Priced {
  pc.notes.add('Route 53 queries are usage-based and not included');
  return { kind: 'priced', components: [component('Hosted zone', 'months', 1, pc.prices.route53ZoneMonth)] };
}
