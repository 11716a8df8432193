import type { BudgetStatus, CostEstimate, Finding } from '../../../../contracts/index.js';
import { finding, type RuleInfo } from '../rules/rule-types.js';
import { signedUsd, usd } from '../../../util/format-usd.js';

export const BUDGET_BRAKE: RuleInfo = {
  id: 'CREW_BUDGET_BRAKE',
  title: 'Forecast stays under the budget brake',
  severity: 'HIGH',
};
export const POLICY_STACK_COST: RuleInfo = {
  id: 'CREW_POLICY_STACK_COST',
  title: 'Stack cost within the org policy maximum',
  severity: 'HIGH',
};

export const DEFAULT_BRAKE_RATIO = 0.8;

export interface BudgetInput {
  budgetUsd: number | null;
  brakeRatio: number;
  /** Committed monthly spend of the other applied stacks. */
  spentUsd: number;
  cost: CostEstimate;
  maxMonthlyUsdPerStack?: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** " (was $142.39, +$284.79)" for a stack that costs something now; nothing for a new one. */
export function changeOf(cost: Pick<CostEstimate, 'previousMonthlyUsd' | 'diffMonthlyUsd'>): string {
  if (cost.previousMonthlyUsd === 0) return '';
  return ` (was ${usd(cost.previousMonthlyUsd)}, ${signedUsd(cost.diffMonthlyUsd)})`;
}

/**
 * forecast = what the other stacks commit + this stack's monthly cost once the plan is applied
 * (for a change, its whole cost, not only the difference: the stack's present cost is not in
 * `spentUsd`); the brake trips above brakeRatio × budget. A plan that adds no monthly spend
 * (a cut, a change that costs the same) is not stopped by it: the finding is MEDIUM, so the cuts
 * that bring the forecast back under the brake, and changes that leave it where it is, go on.
 */
export function checkBudget(input: BudgetInput): { status: BudgetStatus; findings: Finding[] } {
  const { budgetUsd, brakeRatio, spentUsd, cost } = input;
  const forecast = round2(spentUsd + cost.monthlyUsd);
  const limit = budgetUsd === null ? null : round2(budgetUsd * brakeRatio);
  const brake = limit !== null && forecast > limit;
  const findings: Finding[] = [];
  if (brake && budgetUsd !== null && limit !== null) {
    const pct = Math.round(brakeRatio * 10_000) / 100;
    const over = `forecast ${usd(forecast)}/month = other stacks ${usd(spentUsd)} + this stack ${usd(cost.monthlyUsd)}${changeOf(cost)} exceeds ${pct}% of the ${usd(budgetUsd)} budget (${usd(limit)})`;
    const adds = cost.diffMonthlyUsd > 0;
    findings.push(
      finding(
        BUDGET_BRAKE,
        'budget',
        adds
          ? `${over}: use Spot, a smaller instance type or an off-hours schedule, or raise the budget`
          : `${over}, but this plan adds no monthly spend: not blocked, so that cuts can bring the forecast back under the brake`,
        adds ? BUDGET_BRAKE.severity : 'MEDIUM',
      ),
    );
  }
  const max = input.maxMonthlyUsdPerStack;
  if (max !== undefined && cost.monthlyUsd > max) {
    findings.push(
      finding(
        POLICY_STACK_COST,
        'stack',
        `this stack would cost ${usd(cost.monthlyUsd)}/month, above the org policy maximum of ${usd(max)} per stack`,
      ),
    );
  }
  return {
    status: {
      monthlyUsd: budgetUsd,
      spentUsd: round2(spentUsd),
      forecastUsd: forecast,
      // A zero budget has no meaningful ratio; any positive forecast trips the brake.
      ratio: budgetUsd === null || budgetUsd === 0 ? null : Math.round((forecast / budgetUsd) * 10000) / 10000,
      brakeRatio,
      brake,
    },
    findings,
  };
}
