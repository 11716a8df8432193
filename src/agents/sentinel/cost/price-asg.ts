import type { CostComponent } from '../../../../contracts/index.js';
import { toBool, toNumber } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { isStart, schedulesByAsg, type ScheduleView } from '../rules/link-schedules.js';
import { computeScheduledHours } from './compute-scheduled-hours.js';
import { component, type PricingContext, type Priced } from './cost-types.js';
import { block, findLaunchSource, type LaunchSource } from './find-launch-source.js';
import { instanceUsage } from './price-instance.js';
import { instanceVolumes, records, str, volumes } from './price-volumes.js';

/**
 * Capacity while the group runs: the size its scheduled start restores when it has one (the
 * group's own desired may be an off-hours 0, or the old size a plan made off-hours leaves until
 * that start), else desired, else min, else 1.
 */
function runningCount(
  pc: PricingContext,
  address: string,
  values: Record<string, unknown>,
  schedules: readonly ScheduleView[],
): number {
  const own = toNumber(values.desired_capacity) ?? toNumber(values.min_size) ?? 1;
  const restored = schedules.filter(isStart).flatMap((s) => (s.desired !== null && s.desired > 0 ? [s.desired] : []));
  if (restored.length === 0) return own;
  const start = Math.max(...restored);
  if (start !== own)
    pc.notes.add(
      `${address}: priced at ${start} instance(s), the size its scheduled start restores (the group is planned at ${own} now)`,
    );
  return start;
}

/** Volumes and public IPs of one running instance-share, from the template or configuration. */
function perInstance(pc: PricingContext, address: string, source: LaunchSource | null, share: number, hours: number) {
  const comps: CostComponent[] = [];
  const v = source?.values ?? null;
  if (source?.kind === 'configuration') {
    comps.push(...instanceVolumes(pc, address, source.values, share));
    if (toBool(source.values.associate_public_ip_address) === true)
      comps.push(component('Public IPv4 address', 'hours', hours, pc.prices.publicIpv4Hour));
    return comps;
  }
  const devices = records(v?.block_device_mappings).map((m) => block(m, 'ebs') ?? {});
  comps.push(...volumes(pc, address, devices, 'volume ', share, null));
  if (records(v?.network_interfaces).some((n) => toBool(n.associate_public_ip_address) === true))
    comps.push(component('Public IPv4 address', 'hours', hours, pc.prices.publicIpv4Hour));
  return comps;
}

/** ASG: instances = running size ÷ override weight; mixed-instances split; hours from its scheduled actions. */
export function priceAsg(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const sched = schedulesByAsg(pc.ctx, pc.side);
  const schedules = sched.get(r.address) ?? sched.get(`name:${String(values.name)}`) ?? [];
  const units = runningCount(pc, r.address, values, schedules);
  const source = findLaunchSource(pc, r, values);
  const mixed = block(values, 'mixed_instances_policy');
  const overrides = records(block(mixed, 'launch_template')?.override);
  const chosen = overrides.find((o) => str(o.instance_type) !== null);
  const type = str(chosen?.instance_type) ?? str(source?.values.instance_type);
  if (!type)
    return {
      kind: 'unpriced',
      reason: source
        ? 'instance type is unknown until apply'
        : 'the launch template or launch configuration it uses is not in the plan',
    };
  if (overrides.length > 1)
    pc.notes.add(`${r.address}: priced as ${type}, the first of ${overrides.length} instance type overrides`);
  // Sizes and the on-demand base are capacity units; an override's weight is units per instance.
  const weight = Math.max(toNumber(chosen?.weighted_capacity) ?? 1, 1);
  const count = Math.ceil(units / weight);
  if (weight !== 1)
    pc.notes.add(
      `${r.address}: ${units} capacity unit(s) at weighted_capacity ${weight} = ${count} ${type} instance(s)`,
    );
  if (new Set(overrides.map((o) => toNumber(o.weighted_capacity) ?? 1)).size > 1)
    pc.notes.add(`${r.address}: overrides weigh differently; the instance count uses the weight of ${type}`);
  let onDemand = count;
  if (mixed) {
    const dist = block(mixed, 'instances_distribution');
    const base = toNumber(dist?.on_demand_base_capacity) ?? 0;
    const pct = toNumber(dist?.on_demand_percentage_above_base_capacity) ?? 100;
    const onDemandUnits = Math.min(units, base + Math.ceil((Math.max(units - base, 0) * pct) / 100));
    onDemand = Math.min(count, Math.ceil(onDemandUnits / weight));
  } else if (source?.kind === 'template' && block(source.values, 'instance_market_options')?.market_type === 'spot')
    onDemand = 0;
  else if (source?.kind === 'configuration' && str(source.values.spot_price) !== null) onDemand = 0;
  const spotCount = count - onDemand;

  const hours = computeScheduledHours(schedules, count, pc.ctx.now, pc.hoursPerMonth);
  hours?.notes.forEach((n) => pc.notes.add(n));
  const monthlyHours = hours?.monthlyHours ?? pc.hoursPerMonth;
  if (hours && hours.weeklyHours < 168) {
    pc.notes.add(
      `${r.address}: runs ${hours.weeklyHours.toFixed(1)} h/week per its scheduled actions = ${monthlyHours.toFixed(1)} h/month instead of ${pc.hoursPerMonth}`,
    );
  }

  const comps: CostComponent[] = [];
  for (const [n, market] of [
    [onDemand, 'on-demand'],
    [spotCount, 'spot'],
  ] as const) {
    if (n <= 0) continue;
    const c = instanceUsage(pc, type, market, n * monthlyHours);
    if (typeof c === 'string') return { kind: 'unpriced', reason: c };
    comps.push(c);
  }
  // Volumes and IPs exist only while instances run: scale-to-zero terminates them.
  if (count > 0)
    comps.push(...perInstance(pc, r.address, source, (count * monthlyHours) / pc.hoursPerMonth, count * monthlyHours));
  return { kind: 'priced', components: comps };
}
