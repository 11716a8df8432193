import type { CostEstimate, ResourceCost } from '../../../../contracts/index.js';
import type { PlanResource } from '../plan/plan-types.js';
import type { Side } from '../rules/link-schedules.js';
import type { RuleContext } from '../rules/rule-types.js';
import type { PricingContext, Priced } from './cost-types.js';
import { PRICE_BOOK, type PriceBook } from './load-prices.js';
import { ownValue } from '../util/own-value.js';
import { priceAsg } from './price-asg.js';
import { priceInstance } from './price-instance.js';
import { priceEbsVolume, pricePublicIpv4, priceRoute53Zone } from './price-storage-network.js';
import { priceEc2Host, priceLoadBalancer, priceLogGroup, priceNatGateway } from './price-usage-resources.js';
import type { UsageFile } from './read-usage-file.js';

export interface CostOptions {
  region: string;
  spotDiscount?: number;
  spotPrices?: Record<string, number>;
  priceBook?: PriceBook;
  /** Infracost usage file values for usage-based components. */
  usage?: UsageFile;
}

type Pricer = (pc: PricingContext, r: PlanResource, values: Record<string, unknown>) => Priced;

// A Map: resource types come from the plan, and "constructor" must find nothing.
export const PRICERS: ReadonlyMap<string, Pricer> = new Map<string, Pricer>([
  ['aws_instance', priceInstance],
  ['aws_spot_instance_request', priceInstance],
  ['aws_autoscaling_group', priceAsg],
  ['aws_ebs_volume', (pc, r, v) => priceEbsVolume(pc, r.address, v)],
  ['aws_nat_gateway', (pc, r) => priceNatGateway(pc, r)],
  ['aws_cloudwatch_log_group', (pc, r) => priceLogGroup(pc, r)],
  ['aws_lb', priceLoadBalancer],
  ['aws_alb', priceLoadBalancer],
  ['aws_ec2_host', priceEc2Host],
  ['aws_eip', (pc) => pricePublicIpv4(pc)],
  ['aws_route53_zone', (pc) => priceRoute53Zone(pc)],
]);

// No hourly charge of their own (launch templates and schedules are priced through their ASG;
// flow log storage, data transfer and DNS queries are usage-based and not modelled).
const FREE =
  /^(aws_(vpc|subnet|security_group|security_group_rule|vpc_security_group_(ingress|egress)_rule|default_(security_group|vpc|network_acl|route_table)|route|route_table|route_table_association|internet_gateway|egress_only_internet_gateway|network_acl|network_acl_rule|launch_template|launch_configuration|autoscaling_schedule|autoscaling_policy|autoscaling_lifecycle_hook|flow_log|iam_.*|key_pair|ebs_encryption_by_default|vpc_ipv4_cidr_block_association|eip_association|volume_attachment|route53_record|ssm_parameter|vpc_endpoint_route_table_association)|terraform_data|null_resource|random_.*|time_.*|tls_.*|local_.*|proxmox_.*|dns_.*)$/;

function priceSide(pc: PricingContext, r: PlanResource, side: Side): Priced | null {
  const values = side === 'after' ? (r.kind === 'delete' || r.kind === 'forget' ? null : r.after) : r.before;
  if (!values) return null;
  if (FREE.test(r.type)) return { kind: 'free' };
  const pricer = PRICERS.get(r.type);
  if (!pricer) return { kind: 'unpriced', reason: `no price model for ${r.type}` };
  return pricer({ ...pc, side }, r, values);
}

const total = (p: Priced | null): number =>
  p?.kind === 'priced' ? p.components.reduce((s, c) => s + c.monthly, 0) : 0;
const round2 = (n: number): number => Math.round(n * 100) / 100;
const round4 = (n: number): number => Math.round(n * 10000) / 10000;

/** Monthly cost before and after the plan, per resource, like Infracost's diff. */
export function estimateCost(ctx: RuleContext, options: CostOptions): CostEstimate {
  const book = options.priceBook ?? PRICE_BOOK;
  const notes = new Set<string>();
  const prices = ownValue(book.regions, options.region);
  const resources: ResourceCost[] = [];
  const unpriced: CostEstimate['unpriced'] = [];
  let free = 0;
  let past = 0;
  let next = 0;
  const pc: PricingContext | null = prices
    ? {
        ctx,
        prices,
        region: options.region,
        hoursPerMonth: book.hoursPerMonth,
        spotDiscount: options.spotDiscount ?? book.spot.defaultDiscount,
        spotPrices: options.spotPrices ?? {},
        notes,
        side: 'after',
        ...(options.usage ? { usage: options.usage } : {}),
      }
    : null;
  for (const r of ctx.index.managed) {
    if (r.kind === 'read') continue;
    if (!pc) {
      if (!FREE.test(r.type))
        unpriced.push({
          address: r.address,
          type: r.type,
          reason: `no prices for region ${options.region} (price file has ${Object.keys(book.regions).join(', ')})`,
        });
      continue;
    }
    const after = priceSide(pc, r, 'after');
    const before = priceSide(pc, r, 'before');
    if (after?.kind === 'priced' && after.missing)
      unpriced.push({ address: r.address, type: r.type, reason: `${after.missing} (the rest is priced)` });
    const bad = after?.kind === 'unpriced' ? after : before?.kind === 'unpriced' ? before : null;
    if (bad?.kind === 'unpriced') {
      unpriced.push({
        address: r.address,
        type: r.type,
        reason: `${after === bad ? '' : 'before this change: '}${bad.reason}`,
      });
    }
    if (after?.kind !== 'priced' && before?.kind !== 'priced') {
      if (!bad) free += 1;
      continue;
    }
    const shown = after?.kind === 'priced' ? after : before?.kind === 'priced' ? before : null;
    const now = total(after);
    const was = total(before);
    const numbers = [
      now,
      was,
      ...(shown?.kind === 'priced' ? shown.components.flatMap((c) => [c.quantity, c.price, c.monthly]) : []),
    ];
    if (!numbers.every(Number.isFinite)) {
      // An attribute so large the cost overflows (e.g. a volume of 1e308 GB): say so, don't price it.
      unpriced.push({
        address: r.address,
        type: r.type,
        reason: 'a size or count in this resource is out of range, so its cost cannot be computed',
      });
      continue;
    }
    past += was;
    next += now;
    resources.push({
      address: r.address,
      type: r.type,
      monthlyUsd: round2(now),
      previousMonthlyUsd: round2(was),
      components: (shown?.kind === 'priced' ? shown.components : []).map((c) => ({
        ...c,
        quantity: round4(c.quantity),
        price: round4(c.price),
        monthly: round2(c.monthly),
      })),
    });
  }
  if (free > 0)
    notes.add(
      `${free} resource(s) with no charge of their own (VPC, subnets, security groups, launch templates, schedules…) are not listed`,
    );
  notes.add(`prices as of ${book.asOf}, region ${options.region}, ${book.hoursPerMonth} h/month`);
  return {
    monthlyUsd: round2(next),
    previousMonthlyUsd: round2(past),
    // Of the rounded amounts, so the three a review shows add up to the cent ($284.79 was $142.39, +$142.40).
    diffMonthlyUsd: round2(round2(next) - round2(past)),
    resources,
    unpriced,
    notes: [...notes].map((n) => n.slice(0, 500)),
  };
}
