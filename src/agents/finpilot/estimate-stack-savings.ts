import type { PlanSpec, Schedule } from '../../../contracts/index.js';
import { PRICE_BOOK } from '../sentinel/cost/load-prices.js';

const DAY: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
const WEEK_MIN = 7 * 24 * 60;

const minuteOfWeek = (at: { day: string; time: string }) => {
  const [h, m] = at.time.split(':').map(Number);
  return (DAY[at.day] ?? 0) * 1440 + (h ?? 0) * 60 + (m ?? 0);
};

/** Hours per week between stop and start, in the schedule's own local time (Fri 22:00 → Mon 07:00 = 57). */
export function weeklyOffHours(s: Schedule): number {
  const off = (minuteOfWeek(s.start) - minuteOfWeek(s.stop) + WEEK_MIN) % WEEK_MIN;
  return off / 60;
}

export interface StackSavings {
  spotSavingsUsd: number;
  offHoursSavingsUsd: number;
  /** What the same instances would cost on-demand around the clock (730 h). */
  onDemandFullUsd: number;
  notes: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const NONE: StackSavings = { spotSavingsUsd: 0, offHoursSavingsUsd: 0, onDemandFullUsd: 0, notes: [] };

/**
 * Instance-hour savings of a stack's spec, priced the way Sentinel prices it (same price
 * file, live Spot price when given, else the default discount). Spot savings = (on-demand −
 * Spot) × Spot instances × running hours; off-hours savings = the hourly cost of the whole
 * group × the hours the schedule keeps it off. Volumes are left out (a few dollars).
 */
export function estimateStackSavings(
  spec: PlanSpec | null,
  o: { region: string; spotPrices?: Record<string, number> },
): StackSavings {
  if (!spec) return NONE;
  if (spec.blueprint === 'asg-schedule') {
    return {
      ...NONE,
      notes: [
        `${spec.stack}: schedules ${spec.params.asgName}, whose instances belong to another stack; its savings are not counted here`,
      ],
    };
  }
  if (spec.blueprint !== 'aws-spot-ollama') return NONE;
  const p = spec.params;
  const region = spec.region ?? o.region;
  const book = PRICE_BOOK.regions[region] ?? PRICE_BOOK.regions['us-east-1'];
  const type = p.instanceTypes[0] ?? '';
  const od = book?.ec2[type];
  if (od === undefined) return { ...NONE, notes: [`${spec.stack}: no on-demand price for ${type} in ${region}`] };
  const spot = o.spotPrices?.[type] ?? od * (1 - PRICE_BOOK.spot.defaultDiscount);
  const count = p.desiredCapacity;
  // The module runs everything above the on-demand base on Spot (0 % on-demand above base).
  const onDemand = Math.min(count, p.onDemandBase);
  const spotCount = count - onDemand;
  const month = PRICE_BOOK.hoursPerMonth;
  const onHours = p.schedule ? ((168 - weeklyOffHours(p.schedule)) * month) / 168 : month;
  return {
    spotSavingsUsd: round2((od - spot) * spotCount * onHours),
    offHoursSavingsUsd: round2((od * onDemand + spot * spotCount) * (month - onHours)),
    onDemandFullUsd: round2(od * count * month),
    notes: [],
  };
}
