import type { Transition } from '../../src/plan/plan-record.js';

/** One crew_audit row as the chaos test reads it back. */
export interface AuditedRow {
  plan_id: string;
  kind: 'transition' | 'refusal' | 'decision';
  seq: number | null;
  from_state: string | null;
  to_state: string | null;
  event: string | null;
  at: string;
}

/** What Redis holds of one plan: the trail PostgreSQL must hold too. */
export interface PlanTrail {
  id: string;
  history: readonly Transition[];
  refusals: number;
  /** Approvals the test gave (each one a decision row). */
  approvals: number;
}

/**
 * Everything missing or out of order in one plan's PostgreSQL audit: every transition Redis
 * recorded, once, numbered 1…n in the order they happened, with its refusals and decisions.
 */
export function auditProblems(plan: PlanTrail, rows: readonly AuditedRow[]): string[] {
  const problems: string[] = [];
  const transitions = rows.filter((r) => r.kind === 'transition').sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const seqs = transitions.map((r) => r.seq);
  const want = plan.history.map((_, i) => i + 1);
  if (seqs.join(',') !== want.join(','))
    problems.push(`audit transitions numbered [${seqs.join(',')}]; Redis has [${want.join(',')}]`);
  for (const [i, h] of plan.history.entries()) {
    const r = transitions.find((t) => t.seq === i + 1);
    if (r && (r.from_state !== h.from || r.to_state !== h.to || r.event !== h.event))
      problems.push(
        `audit transition #${i + 1} is ${r.from_state}→${r.to_state} (${r.event}); Redis has ${h.from}→${h.to} (${h.event})`,
      );
  }
  for (let i = 1; i < transitions.length; i++)
    if (Date.parse(transitions[i]!.at) < Date.parse(transitions[i - 1]!.at))
      problems.push(`audit transition #${transitions[i]!.seq} is dated before #${transitions[i - 1]!.seq}`);
  const refusals = rows.filter((r) => r.kind === 'refusal').length;
  if (refusals !== plan.refusals) problems.push(`${refusals} refusal rows in the audit; Redis has ${plan.refusals}`);
  const decisions = rows.filter((r) => r.kind === 'decision').length;
  if (decisions !== plan.approvals)
    problems.push(`${decisions} decision rows in the audit; the test approved ${plan.approvals} time(s)`);
  return problems;
}
