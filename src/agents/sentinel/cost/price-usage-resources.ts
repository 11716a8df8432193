import { toNumber } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { ownValue } from '../util/own-value.js';
import { component, usageComponent, type PricingContext, type Priced } from './cost-types.js';
import { usageFor } from './usage-for.js';

export function priceNatGateway(pc: PricingContext, r: PlanResource): Priced {
  const p = pc.prices.natGateway;
  const gb = usageFor(pc.usage, r.address, r.type).monthly_data_processed_gb;
  return {
    kind: 'priced',
    components: [
      component('NAT gateway', 'hours', pc.hoursPerMonth, p.hour),
      usageComponent(pc, r.address, 'Data processed', 'GB', gb, p.gb),
    ],
  };
}

export function priceLogGroup(pc: PricingContext, r: PlanResource): Priced {
  const p = pc.prices.cloudwatchLogs;
  if (!p) return { kind: 'unpriced', reason: `no CloudWatch Logs prices for ${pc.region} in the price file` };
  const u = usageFor(pc.usage, r.address, r.type);
  return {
    kind: 'priced',
    components: [
      usageComponent(pc, r.address, 'Data ingested', 'GB', u.monthly_data_ingested_gb, p.ingestedGb),
      usageComponent(pc, r.address, 'Archival storage', 'GB-months', u.storage_gb, p.storageGbMonth),
      usageComponent(pc, r.address, 'Insights queries data scanned', 'GB', u.monthly_data_scanned_gb, p.scannedGb),
    ],
  };
}

// What one LCU holds per dimension (AWS Elastic Load Balancing pricing): new connections per
// second, active connections per minute, GB processed per hour, rule evaluations per second.
const LCU: Record<string, { new: number; active: number; gbHour: number; rules: number }> = {
  application: { new: 25, active: 3000, gbHour: 1, rules: 1000 },
  network: { new: 800, active: 100_000, gbHour: 1, rules: Infinity },
  gateway: { new: 600, active: 60_000, gbHour: 1, rules: Infinity },
};

/** `aws_lb`/`aws_alb`: hours, plus LCU-hours from Infracost's usage keys (the highest dimension). */
export function priceLoadBalancer(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const kind = typeof values.load_balancer_type === 'string' ? values.load_balancer_type : 'application';
  const p = ownValue(pc.prices.loadBalancer ?? {}, kind);
  const dims = ownValue(LCU, kind);
  if (!p || !dims) return { kind: 'unpriced', reason: `no price for a ${kind} load balancer in ${pc.region}` };
  const u = usageFor(pc.usage, r.address, r.type);
  const given = ['new_connections', 'active_connections', 'processed_bytes_gb', 'rule_evaluations'].some(
    (k) => u[k] !== undefined,
  );
  const perHour = Math.max(
    (u.new_connections ?? 0) / dims.new,
    (u.active_connections ?? 0) / dims.active,
    (u.processed_bytes_gb ?? 0) / pc.hoursPerMonth / dims.gbHour,
    (u.rule_evaluations ?? 0) / dims.rules,
  );
  const unit = kind === 'application' ? 'LCU-hours' : kind === 'network' ? 'NLCU-hours' : 'GLCU-hours';
  return {
    kind: 'priced',
    components: [
      component(`Load balancer (${kind})`, 'hours', pc.hoursPerMonth, p.hour),
      usageComponent(pc, r.address, 'Capacity units', unit, given ? perHour * pc.hoursPerMonth : undefined, p.lcuHour),
    ],
  };
}

export function priceEc2Host(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const family = typeof values.instance_family === 'string' ? values.instance_family : null;
  const type = typeof values.instance_type === 'string' ? values.instance_type : null;
  const key = family ?? type?.split('.')[0] ?? '';
  const hour = ownValue(pc.prices.ec2HostHour ?? {}, key);
  if (hour === undefined)
    return { kind: 'unpriced', reason: `no dedicated host price for ${key || 'an unknown family'} in ${pc.region}` };
  const hours = toNumber(usageFor(pc.usage, r.address, r.type).monthly_hrs) ?? pc.hoursPerMonth;
  return { kind: 'priced', components: [component(`Dedicated host (${key})`, 'hours', hours, hour)] };
}
