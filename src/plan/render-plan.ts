import { isDestructive } from './is-destructive.js';
import { rollbackPreviewLines } from './describe-rollback.js';
import type { PlanRecord, Transition } from './plan-record.js';
import { signedUsd, usd } from '../util/format-usd.js';

/** What the cost leaves out, for the line beside it: "2 resource(s) not in the total: a (why); b (why)". */
export function unpricedLine(cost: {
  unpriced?: ReadonlyArray<{ address: string; reason: string }>;
}): string | undefined {
  const u = cost.unpriced ?? [];
  if (u.length === 0) return undefined;
  const shown = u.slice(0, 3).map((x) => `${x.address} (${x.reason})`);
  return `${u.length} resource(s) not in the total: ${shown.join('; ')}${u.length > 3 ? `; and ${u.length - 3} more` : ''}`;
}

/** The group's size as the review states it, e.g. "3 instance(s) (min 0, max 3)". */
export function instances(p: { desiredCapacity: number; minSize: number; maxSize: number }): string {
  return `${p.desiredCapacity} instance(s) (min ${p.minSize}, max ${p.maxSize})`;
}

/** The `--json` shape of a plan; its field names are part of the CLI contract. */
export function planJson(plan: PlanRecord): Record<string, unknown> {
  const v = plan.validation;
  return {
    id: plan.id,
    state: plan.state,
    stack: plan.stack ?? null,
    requestedBy: plan.requestedBy,
    planSpec: plan.spec ?? null,
    planSha256: plan.planSha256 ?? null,
    ...(plan.approvalsRequired !== undefined ? { approvalsRequired: plan.approvalsRequired } : {}),
    summary: plan.summary ?? null,
    ...(plan.reviewNote ? { reviewNote: plan.reviewNote } : {}),
    validation: v
      ? {
          verdict: v.verdict,
          findings: v.findings.map((f) => ({
            ruleId: f.ruleId,
            severity: f.severity,
            address: f.address,
            message: f.message,
            ...(f.waived ? { waived: f.waived } : {}),
          })),
          cost: {
            monthlyUsd: v.cost.monthlyUsd,
            previousMonthlyUsd: v.cost.previousMonthlyUsd,
            diffMonthlyUsd: v.cost.diffMonthlyUsd,
          },
          budget: v.budget,
        }
      : null,
    ...(plan.blocked ? { reason: plan.blocked.reason, rationale: plan.blocked.rationale } : {}),
    ...(plan.failure ? { failure: plan.failure } : {}),
    ...(plan.expiresAt ? { expiresAt: plan.expiresAt } : {}),
    ...(plan.approvedBy ? { approvedBy: plan.approvedBy } : {}),
    ...(plan.version !== undefined ? { version: plan.version } : {}),
    ...(plan.rollback ? { rollback: plan.rollback } : {}),
    ...(plan.outputs ? { outputs: plan.outputs } : {}),
  };
}

/** Human text for one plan: what it is, what Sentinel said, what it costs, what to do next. */
export function planText(plan: PlanRecord): string {
  const lines = [
    `plan ${plan.id}  ${plan.state}`,
    `  goal:      ${plan.goal}`,
    `  requested: ${plan.requestedBy} at ${plan.createdAt}`,
  ];
  const s = plan.spec;
  if (s)
    lines.push(
      `  blueprint: ${s.blueprint}  stack: ${s.stack}  target: ${s.target}${s.region ? `  region: ${s.region}` : ''}  (parsed by ${s.parsedBy})`,
    );
  if (s?.blueprint === 'aws-spot-ollama') lines.push(`  size:      ${instances(s.params)}`);
  if (plan.summary) {
    const c = plan.summary;
    lines.push(
      `  changes:   ${c.create} to add, ${c.update} to change, ${c.replace} to replace, ${c.delete} to destroy`,
    );
  }
  if (plan.reviewNote)
    lines.push(...plan.reviewNote.split('\n').map((l, i) => `${i ? '             ' : '  review:    '}${l}`));
  const v = plan.validation;
  if (v) {
    const blocking = v.findings.filter((f) => !f.waived && (f.severity === 'HIGH' || f.severity === 'CRITICAL'));
    lines.push(`  sentinel:  ${v.verdict} — ${v.findings.length} finding(s), ${blocking.length} blocking`);
    for (const f of v.findings.slice(0, 15))
      lines.push(`    ${f.waived ? 'WAIVED ' : ''}${f.severity.padEnd(8)} ${f.ruleId}  ${f.address}: ${f.message}`);
    if (v.findings.length > 15) lines.push(`    … ${v.findings.length - 15} more (use --json)`);
    lines.push(
      `  cost:      ${usd(v.cost.monthlyUsd)}/month (was ${usd(v.cost.previousMonthlyUsd)}, ${signedUsd(v.cost.diffMonthlyUsd)})`,
    );
    const unpriced = unpricedLine(v.cost);
    if (unpriced) lines.push(`  not priced: ${unpriced}`);
    const b = v.budget;
    if (b.monthlyUsd !== null) {
      lines.push(
        `  budget:    ${usd(b.monthlyUsd)}/month; forecast ${usd(b.forecastUsd)} (${Math.round((b.ratio ?? 0) * 100)}%), brake at ${Math.round(b.brakeRatio * 100)}%${b.brake ? '  BRAKE' : ''}`,
      );
    }
    lines.push(...rollbackPreviewLines(plan).map((l, i) => `${i ? '             ' : '  rollback:  '}${l}`));
  }
  if (plan.blocked)
    lines.push(`  blocked:   ${plan.blocked.reason}`, ...plan.blocked.rationale.map((r) => `             - ${r}`));
  if (plan.failure && plan.state !== 'BLOCKED') lines.push(`  failure:   ${plan.failure.split('\n')[0]}`);
  if (plan.planSha256) lines.push(`  plan file: sha256 ${plan.planSha256}`);
  if (plan.state === 'WAIT_FOR_APPROVE') {
    lines.push(
      `  approval:  open until ${plan.expiresAt}`,
      `  next:      crew approve ${plan.id}${plan.planSha256 ? ` --sha ${plan.planSha256.slice(0, 12)}` : ''}${isDestructive(plan) && plan.stack ? ` --confirm ${plan.stack}` : ''} --as <someone other than ${plan.requestedBy}>   (or crew reject ${plan.id})`,
    );
  }
  if (plan.state === 'DONE')
    lines.push(
      `  applied:   version ${plan.version} by approval of ${plan.approvedBy}`,
      `  next:      crew rollback ${plan.id}   (to undo)`,
    );
  if (plan.rollback?.finishedAt) {
    const took = (Date.parse(plan.rollback.finishedAt) - Date.parse(plan.rollback.requestedAt)) / 1000;
    lines.push(
      `  rollback:  to version ${plan.rollback.toVersion} by ${plan.rollback.by}, took ${took.toFixed(1)} s${plan.rollback.slaBreached ? ' (SLA BREACHED)' : ' (within SLA)'}`,
    );
  }
  return lines.join('\n');
}

export function historyText(rows: Transition[]): string {
  return rows.map((t) => `${t.at}  ${t.from.padEnd(16)} → ${t.to.padEnd(16)} by ${t.by}: ${t.reason}`).join('\n');
}

export function planRow(plan: PlanRecord): string {
  return `${plan.id}  ${plan.state.padEnd(16)}  ${(plan.stack ?? '-').padEnd(16)}  ${plan.requestedBy.padEnd(12)}  ${plan.goal.slice(0, 60)}`;
}
