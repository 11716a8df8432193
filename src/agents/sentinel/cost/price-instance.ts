import type { CostComponent } from '../../../../contracts/index.js';
import { toBool } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { component, hourlyPrice, type PricingContext, type Priced } from './cost-types.js';
import { block } from './find-launch-source.js';
import { instanceVolumes, str } from './price-volumes.js';

export function instanceUsage(
  pc: PricingContext,
  type: string,
  market: 'on-demand' | 'spot',
  hours: number,
): CostComponent | string {
  const h = hourlyPrice(pc, type, market);
  return h.ok ? component(`Instance usage (Linux/UNIX, ${market}, ${type})`, 'hours', hours, h.price) : h.reason;
}

export function priceInstance(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const type = str(values.instance_type);
  if (!type) return { kind: 'unpriced', reason: 'instance_type is unknown until apply' };
  // spot_price alone (aws_spot_instance_request) and instance_market_options both mean Spot.
  const spot =
    r.type === 'aws_spot_instance_request' ||
    str(values.spot_price) !== null ||
    block(values, 'instance_market_options')?.market_type === 'spot';
  const run = instanceUsage(pc, type, spot ? 'spot' : 'on-demand', pc.hoursPerMonth);
  if (typeof run === 'string') return { kind: 'unpriced', reason: run };
  const comps = [run, ...instanceVolumes(pc, r.address, values, 1)];
  if (toBool(values.associate_public_ip_address) === true)
    comps.push(component('Public IPv4 address', 'hours', pc.hoursPerMonth, pc.prices.publicIpv4Hour));
  return { kind: 'priced', components: comps };
}
