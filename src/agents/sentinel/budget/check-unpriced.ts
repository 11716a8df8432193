import type { CostEstimate, Finding } from '../../../../contracts/index.js';
import { finding, type RuleInfo } from '../rules/rule-types.js';

export const COST_UNPRICED: RuleInfo = {
  id: 'CREW_COST_UNPRICED',
  title: 'Compute the cost model cannot price',
  severity: 'MEDIUM',
};

/** The resources that run by the hour: left out of the total, they are most of what it misses. */
const COMPUTE = new Set(['aws_instance', 'aws_spot_instance_request', 'aws_autoscaling_group', 'aws_ec2_host']);

/**
 * One finding per compute resource the estimate leaves out (an instance type missing from the
 * price file, a region without prices): the total is short by its cost, and a budget brake
 * cannot see it. MEDIUM, so the reviewer reads it beside the cost rather than below it; it blocks
 * nothing (the person approving can price it, and a blocked plan has no way on).
 */
export function checkUnpriced(cost: Pick<CostEstimate, 'unpriced'>, budgetUsd: number | null): Finding[] {
  return cost.unpriced
    .filter((u) => COMPUTE.has(u.type))
    .map((u) =>
      finding(
        COST_UNPRICED,
        u.address,
        `not priced: ${u.reason}; its cost is not in the estimate${budgetUsd === null ? '' : ' and the budget brake cannot see it'}: price it before approving`,
      ),
    );
}
