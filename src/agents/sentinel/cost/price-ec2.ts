import type { CostComponent } from '../../../../contracts/index.js';
import { toBool, toNumber } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { isStart, schedulesByAsg, type ScheduleView } from '../rules/link-schedules.js';
import { computeScheduledHours } from './compute-scheduled-hours.js';
import { component, hourlyPrice, volumeComponents, type PricingContext, type Priced } from './cost-types.js';
import { block, findLaunchTemplate } from './find-launch-template.js';

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function volumes(
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

function usage(pc: PricingContext, type: string, market: 'on-demand' | 'spot', hours: number): CostComponent | string {
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
  const run = usage(pc, type, spot ? 'spot' : 'on-demand', pc.hoursPerMonth);
  if (typeof run === 'string') return { kind: 'unpriced', reason: run };
  const comps = [run];
  const root =
    Array.isArray(values.root_block_device) && values.root_block_device.length > 0 ? values.root_block_device : [{}];
  comps.push(...volumes(pc, r.address, root, 'root volume ', 1, 8));
  comps.push(...volumes(pc, r.address, values.ebs_block_device, 'EBS volume ', 1, null));
  if (toBool(values.associate_public_ip_address) === true)
    comps.push(component('Public IPv4 address', 'hours', pc.hoursPerMonth, pc.prices.publicIpv4Hour));
  return { kind: 'priced', components: comps };
}

/** The objects of a list attribute; anything else (a malformed plan) counts as none. */
function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

/**
 * Instances while the group runs: the size its scheduled start restores when it has one (the
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

/** ASG: count = running size (see runningCount); mixed-instances split; hours from its scheduled actions. */
export function priceAsg(pc: PricingContext, r: PlanResource, values: Record<string, unknown>): Priced {
  const sched = schedulesByAsg(pc.ctx, pc.side);
  const schedules = sched.get(r.address) ?? sched.get(`name:${String(values.name)}`) ?? [];
  const count = runningCount(pc, r.address, values, schedules);
  const lt = findLaunchTemplate(pc, r, values);
  const mixed = block(values, 'mixed_instances_policy');
  const overrides = records(block(mixed, 'launch_template')?.override);
  const type = overrides.map((o) => str(o.instance_type)).find((t) => t !== null) ?? str(lt?.instance_type);
  if (!type)
    return {
      kind: 'unpriced',
      reason: lt ? 'instance type is unknown until apply' : 'launch template not found in the plan',
    };
  if (overrides.length > 1)
    pc.notes.add(`${r.address}: priced as ${type}, the first of ${overrides.length} instance type overrides`);
  let onDemand = count;
  if (mixed) {
    const dist = block(mixed, 'instances_distribution');
    const base = toNumber(dist?.on_demand_base_capacity) ?? 0;
    const pct = toNumber(dist?.on_demand_percentage_above_base_capacity) ?? 100;
    onDemand = Math.min(count, base + Math.ceil((Math.max(count - base, 0) * pct) / 100));
  } else if (block(lt, 'instance_market_options')?.market_type === 'spot') onDemand = 0;
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
    const c = usage(pc, type, market, n * monthlyHours);
    if (typeof c === 'string') return { kind: 'unpriced', reason: c };
    comps.push(c);
  }
  // Volumes and IPs exist only while instances run: scale-to-zero terminates them.
  const share = (count * monthlyHours) / pc.hoursPerMonth;
  if (count > 0)
    comps.push(
      ...volumes(
        pc,
        r.address,
        records(lt?.block_device_mappings).map((m) => block(m, 'ebs') ?? {}),
        'volume ',
        share,
        null,
      ),
    );
  const nics = records(lt?.network_interfaces);
  if (nics.some((n) => toBool(n.associate_public_ip_address) === true))
    comps.push(component('Public IPv4 address', 'hours', count * monthlyHours, pc.prices.publicIpv4Hour));
  return { kind: 'priced', components: comps };
}
