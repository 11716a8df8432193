import type { Finding, Severity, ValidationResult } from '../../../contracts/index.js';
import { checkBudget, DEFAULT_BRAKE_RATIO } from './budget/check-budget.js';
import { checkUnpriced } from './budget/check-unpriced.js';
import { estimateCost } from './cost/estimate-cost.js';
import type { UsageFile } from './cost/read-usage-file.js';
import { indexPlan } from './plan/index-plan.js';
import { mergeLaunchTemplates } from './plan/merge-launch-templates.js';
import type { ParsedPlan } from './plan/plan-types.js';
import { applyWaivers } from './policy/apply-waivers.js';
import { checkAttributeRules } from './policy/check-attribute-rules.js';
import type { OrgPolicy } from './policy/policy-types.js';
import { RULES } from './rules/rule-catalog.js';
import type { RuleContext } from './rules/rule-types.js';

export interface SentinelOptions {
  /** Monthly budget in USD; null or absent means no budget (no brake). */
  budgetUsd?: number | null;
  /** Fraction of the budget the forecast may reach (default 0.8). */
  brakeRatio?: number;
  /** Committed monthly spend of the other applied stacks (default 0). */
  spentUsd?: number;
  policy?: OrgPolicy;
  /** The clock, for waiver expiry, schedule start times and time zone offsets. */
  now?: Date;
  /** Live Spot prices (USD/hour) by instance type; they override the default discount. */
  spotPrices?: Record<string, number>;
  /** Region when the plan's aws provider does not state one (default us-east-1). */
  defaultRegion?: string;
  /** Spot discount off on-demand when no live price is given (default from the price file, 0.65). */
  spotDiscount?: number;
  /** Usage for usage-based components (Infracost's usage file); without it they are listed at $0. */
  usage?: UsageFile;
}

export const DEFAULT_REGION = 'us-east-1';

const RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

/** Blocks the plan: a HIGH or CRITICAL finding that no active waiver covers. */
export function isBlocking(f: Finding): boolean {
  return (f.severity === 'HIGH' || f.severity === 'CRITICAL') && !f.waived;
}

/** Security rules, org policy, cost and the budget brake over one plan. Pure: no I/O. */
export function evaluatePlan(plan: ParsedPlan, options: SentinelOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  // Policy checks need the real region; cost can fall back to the default price table.
  const stated = plan.region ?? options.defaultRegion;
  const region = stated ?? DEFAULT_REGION;
  const ctx: RuleContext = {
    index: indexPlan(mergeLaunchTemplates(plan)),
    now,
    policy: options.policy,
    region: stated,
    memo: new Map(),
  };
  const raw: Finding[] = [...RULES.flatMap((rule) => rule.run(ctx)), ...checkAttributeRules(ctx)];

  const cost = estimateCost(ctx, {
    region,
    spotDiscount: options.spotDiscount,
    spotPrices: options.spotPrices,
    ...(options.usage ? { usage: options.usage } : {}),
  });
  if (!plan.region && ctx.index.managed.some((r) => r.type.startsWith('aws_')))
    cost.notes = [...(cost.notes ?? []), `the plan does not state an aws provider region; priced for ${region}`];
  const budget = checkBudget({
    budgetUsd: options.budgetUsd ?? null,
    brakeRatio: options.brakeRatio ?? DEFAULT_BRAKE_RATIO,
    spentUsd: options.spentUsd ?? 0,
    cost,
    maxMonthlyUsdPerStack: options.policy?.maxMonthlyUsdPerStack,
  });
  raw.push(...budget.findings, ...checkUnpriced(cost, options.budgetUsd ?? null));

  const findings = applyWaivers(raw, options.policy?.waivers ?? [], now).sort(
    (a, b) =>
      (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.address.localeCompare(b.address),
  );
  return { verdict: findings.some(isBlocking) ? 'FAIL' : 'PASS', findings, cost, budget: budget.status };
}
