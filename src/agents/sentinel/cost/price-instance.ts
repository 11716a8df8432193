import type { CostComponent } from '../../../../contracts/index.js';
import { toBool } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { ownValue } from '../util/own-value.js';
import { component, hourlyPrice, usageComponent, type PricingContext, type Priced } from './cost-types.js';
import { block } from './find-launch-source.js';
import { instanceVolumes, str } from './price-volumes.js';
import { usageFor } from './usage-for.js';

export function instanceUsage(
  pc: PricingContext,
  type: string,
  market: 'on-demand' | 'spot',
  hours: number,
): CostComponent | string {
  const h = hourlyPrice(pc, type, market);
  return h.ok ? component(`Instance usage (Linux/UNIX, ${market}, ${type})`, 'hours', hours, h.price) : h.reason;
}

// vCPUs of the burstable sizes (CPU credits are billed per vCPU-hour).
const BURST_VCPUS: Record<string, number> = {
  nano: 2,
  micro: 2,
  small: 2,
  medium: 2,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
};
const T2_VCPUS: Record<string, number> = { nano: 1, micro: 1, small: 1, medium: 2, large: 2, xlarge: 4, '2xlarge': 8 };

/** t3/t3a/t4g run unlimited unless set to standard; t2 only when set to unlimited. */
function cpuCredits(pc: PricingContext, r: PlanResource, values: Record<string, unknown>, type: string) {
  const [family = '', size = ''] = type.split('.');
  if (!/^t(2|3|3a|4g)$/.test(family) || pc.prices.cpuCreditVcpuHour === undefined) return [];
  const mode = str(block(values, 'credit_specification')?.cpu_credits);
  if (family === 't2' ? mode !== 'unlimited' : mode === 'standard') return [];
  const usage = usageFor(pc.usage, r.address, r.type);
  const vcpus = usage.vcpu_count ?? ownValue(family === 't2' ? T2_VCPUS : BURST_VCPUS, size) ?? 2;
  const hrs = usage.monthly_cpu_credit_hrs;
  return [
    usageComponent(
      pc,
      r.address,
      'CPU credits',
      'vCPU-hours',
      hrs === undefined ? undefined : hrs * vcpus,
      pc.prices.cpuCreditVcpuHour,
    ),
  ];
}

function runningHours(pc: PricingContext, r: PlanResource, values: Record<string, unknown>, type: string) {
  const tenancy = str(values.tenancy);
  const spot =
    r.type === 'aws_spot_instance_request' ||
    str(values.spot_price) !== null ||
    block(values, 'instance_market_options')?.market_type === 'spot';
  const hours = usageFor(pc.usage, r.address, r.type).monthly_hrs ?? pc.hoursPerMonth;
  if (tenancy === 'host') {
    pc.notes.add(`${r.address}: runs on a dedicated host, which is billed instead of the instance`);
    return null;
  }
  if (tenancy === 'dedicated' && !spot) {
    const price = ownValue(pc.prices.dedicatedEc2 ?? {}, type);
    return price === undefined
      ? `no dedicated-tenancy price for ${type} in ${pc.region} in the price file`
      : component(`Instance usage (Linux/UNIX, on-demand, dedicated, ${type})`, 'hours', hours, price);
  }
  return instanceUsage(pc, type, spot ? 'spot' : 'on-demand', hours);
}

/** Instance hours, surcharges and volumes; a type missing from the price file still prices the volumes. */
export function priceInstance(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const type = str(values.instance_type);
  if (!type) return { kind: 'unpriced', reason: 'instance_type is unknown until apply' };
  const hours = usageFor(pc.usage, r.address, r.type).monthly_hrs ?? pc.hoursPerMonth;
  const run = runningHours(pc, r, values, type);
  const comps: CostComponent[] = run && typeof run !== 'string' ? [run] : [];
  const ebsFee = ownValue(pc.prices.ebsOptimizedHour ?? {}, type);
  if (toBool(values.ebs_optimized) === true && ebsFee !== undefined)
    comps.push(component(`EBS-optimized usage (${type})`, 'hours', hours, ebsFee));
  if (toBool(values.monitoring) === true && pc.prices.detailedMonitoringMonth !== undefined)
    comps.push(component('EC2 detailed monitoring (7 metrics)', 'months', 1, pc.prices.detailedMonitoringMonth));
  comps.push(...cpuCredits(pc, r, values, type));
  comps.push(...instanceVolumes(pc, r.address, values, 1));
  if (toBool(values.associate_public_ip_address) === true)
    comps.push(component('Public IPv4 address', 'hours', hours, pc.prices.publicIpv4Hour));
  return { kind: 'priced', components: comps, ...(typeof run === 'string' ? { missing: run } : {}) };
}
