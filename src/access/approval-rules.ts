import { isDestructive } from '../plan/is-destructive.js';
import type { PlanRecord } from '../plan/plan-record.js';

/** How many distinct people must approve, by the plan's risk (the org policy's `approvals`). */
export interface ApprovalQuorum {
  /** Every plan (default 1). */
  required: number;
  /** A plan that destroys or replaces anything, or that Atlas judged destructive. */
  destructive?: number;
  /** A plan whose monthly cost is above `amount`. */
  overMonthlyUsd?: { amount: number; required: number };
}

/** A low-risk class of plan a site lets through without a person (the org policy's `autoApprove`). */
export interface AutoApproveRule {
  /** Named in the record as `policy:<id>`; default `<blueprint>-<action>[-<zone>]`. */
  id: string;
  blueprint: string;
  /** dns-record only: the zone the record must be in. */
  zone?: string;
  /** dns-record only: `add` or `remove`. */
  action?: string;
}

/** The approval part of the crew's rules, published with the access policy. */
export interface QuorumRules {
  approvals: ApprovalQuorum;
  autoApprove: AutoApproveRule[];
}

export const DEFAULT_QUORUM: QuorumRules = { approvals: { required: 1 }, autoApprove: [] };

/** The reasons a plan needs more than one approval, with the count each asks for. */
export function quorumReasons(
  plan: Pick<PlanRecord, 'spec' | 'summary' | 'validation'>,
  q: ApprovalQuorum,
): Array<{ why: string; required: number }> {
  const out = [{ why: 'every plan', required: q.required }];
  if (q.destructive !== undefined && isDestructive(plan)) out.push({ why: 'destructive', required: q.destructive });
  const monthly = plan.validation?.cost.monthlyUsd;
  if (q.overMonthlyUsd && monthly !== undefined && monthly !== null && monthly > q.overMonthlyUsd.amount)
    out.push({ why: `over $${q.overMonthlyUsd.amount}/month`, required: q.overMonthlyUsd.required });
  return out;
}

/** Pure: how many distinct people must approve this plan (the largest count any rule asks for). */
export function approvalsRequired(
  plan: Pick<PlanRecord, 'spec' | 'summary' | 'validation'>,
  q: ApprovalQuorum,
): number {
  return Math.max(1, ...quorumReasons(plan, q).map((r) => r.required));
}

const zoneKey = (z: string) => z.trim().toLowerCase().replace(/\.$/, '');

/**
 * Pure: the auto-approve rule this plan falls under, if any. Only a plan that changes nothing
 * it does not add qualifies: no destroy, no replace, no update, nothing Atlas judged destructive.
 */
export function matchAutoApprove(
  plan: Pick<PlanRecord, 'spec' | 'summary'>,
  rules: readonly AutoApproveRule[],
): AutoApproveRule | undefined {
  const spec = plan.spec;
  const s = plan.summary;
  if (!spec || !s || spec.risk.destructive) return undefined;
  if (s.delete > 0 || s.replace > 0 || s.update > 0) return undefined;
  const params = spec.params as Record<string, unknown>;
  return rules.find((r) => {
    if (r.blueprint !== spec.blueprint) return false;
    if (r.zone !== undefined && (typeof params.zone !== 'string' || zoneKey(params.zone) !== zoneKey(r.zone)))
      return false;
    if (r.action !== undefined && params.action !== r.action) return false;
    return true;
  });
}

/** One line for people. */
export function describeQuorum(q: QuorumRules): string {
  const parts = [`approvals: ${q.approvals.required}`];
  if (q.approvals.destructive !== undefined) parts.push(`${q.approvals.destructive} if destructive`);
  if (q.approvals.overMonthlyUsd)
    parts.push(`${q.approvals.overMonthlyUsd.required} over $${q.approvals.overMonthlyUsd.amount}/month`);
  if (q.autoApprove.length) parts.push(`auto-approve: ${q.autoApprove.map((r) => r.id).join(', ')}`);
  return parts.join(', ');
}

/** Checks a stored or parsed QuorumRules value (fail closed: anything odd is not rules). */
export function isQuorumRules(v: unknown): v is QuorumRules {
  if (typeof v !== 'object' || v === null) return false;
  const q = v as Record<string, unknown>;
  const a = q.approvals as Record<string, unknown> | undefined;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 20;
  if (!a || !count(a.required)) return false;
  if (a.destructive !== undefined && !count(a.destructive)) return false;
  const over = a.overMonthlyUsd as Record<string, unknown> | undefined;
  if (over !== undefined && !(typeof over.amount === 'number' && over.amount >= 0 && count(over.required)))
    return false;
  return (
    Array.isArray(q.autoApprove) &&
    q.autoApprove.every(
      (r: Record<string, unknown>) =>
        typeof r.id === 'string' &&
        typeof r.blueprint === 'string' &&
        (r.zone === undefined || typeof r.zone === 'string') &&
        (r.action === undefined || typeof r.action === 'string'),
    )
  );
}
