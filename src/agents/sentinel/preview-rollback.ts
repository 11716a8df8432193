import type { CostEstimate, RollbackPreview } from '../../../contracts/index.js';
import type { PlanResource } from './plan/plan-types.js';
import { lossOf } from './rules/check-stateful-destroy.js';

type Irreversible = RollbackPreview['irreversible'][number];

const round2 = (n: number) => Math.round(n * 100) / 100;

// An EIP is not deleted but released: the address goes back to AWS and a new one differs.
const gone = (type: string) => (type === 'aws_eip' ? 'releases' : 'deletes');

/**
 * Pure: what rolling this plan back would do, from the plan's own resource changes and its cost
 * estimate, without another Terraform run. Each change is reversed (a create becomes a delete,
 * an update reverts, a delete comes back as a create, a replace is replaced again); the stack's
 * cost after the rollback is the cost model's price of the stack before this plan. What is
 * stateful (Sentinel's CREW_STATEFUL_DESTROY list) and destroyed — by the plan, or by the
 * rollback of a create — is labelled: a rollback brings back the resource, never its data.
 */
export function previewRollback(changes: readonly PlanResource[], cost: CostEstimate): RollbackPreview {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const irreversible: Irreversible[] = [];
  for (const r of changes) {
    if (r.mode !== 'managed') continue;
    if (r.kind === 'create') {
      counts.delete += 1;
      const loss = lossOf(r.type, r.after);
      if (loss)
        irreversible.push({
          address: r.address,
          type: r.type,
          by: 'rollback',
          label: `a rollback ${gone(r.type)} ${r.address}, losing ${loss} as it is by then`,
        });
    } else if (r.kind === 'update') {
      counts.update += 1;
    } else if (r.kind === 'delete' || r.kind === 'replace') {
      counts[r.kind === 'delete' ? 'create' : 'replace'] += 1;
      const loss = lossOf(r.type, r.before);
      if (loss)
        irreversible.push({
          address: r.address,
          type: r.type,
          by: 'plan',
          label: `this plan ${r.kind === 'delete' ? gone(r.type) : 'replaces'} ${r.address}: ${loss} cannot be undone; a rollback ${r.type === 'aws_eip' ? 'allocates a different address' : 'creates a new, empty one'}`,
        });
    }
  }
  return { changes: counts, monthlyUsd: round2(cost.previousMonthlyUsd), irreversible: irreversible.slice(0, 500) };
}
