import { instances } from '../../plan/render-plan.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import { ACTIONS, encodeButton } from './button-value.js';
import { renderProvenance } from './render-provenance.js';
import { button, context, esc, fields, fit, header, LIMITS, section, who, type Block } from './block-kit.js';

export interface ResourceChange {
  address: string;
  actions: string[];
}

export interface RenderedReview {
  text: string;
  blocks: Block[];
  /** True when findings or changes did not all fit: the full review goes up as a file. */
  truncated: boolean;
}

const STATE_ICON: Record<string, string> = {
  DRAFTING: ':pencil2:',
  PENDING: ':hourglass_flowing_sand:',
  IN_PROGRESS: ':hammer_and_wrench:',
  VALIDATING: ':mag:',
  READY_FOR_APPLY: ':memo:',
  WAIT_FOR_APPROVE: ':raised_hand:',
  APPLYING: ':rocket:',
  DONE: ':white_check_mark:',
  ROLLBACK: ':rewind:',
  ROLLED_BACK: ':leftwards_arrow_with_hook:',
  BLOCKED: ':no_entry:',
  REJECTED: ':x:',
  EXPIRED: ':alarm_clock:',
  FAILED: ':rotating_light:',
};
const money = (n: number) => `$${n.toFixed(2)}`;
const MAX_FINDINGS = 8;
const MAX_CHANGES = 10;

export function stateLine(plan: PlanRecord): string {
  const extra =
    plan.state === 'WAIT_FOR_APPROVE' && plan.expiresAt
      ? ` — approval open until ${plan.expiresAt}`
      : plan.state === 'DONE'
        ? ` — applied as version ${plan.version ?? '?'}${plan.approvedBy ? `, approved by ${who(plan.approvedBy)}` : ''}`
        : plan.state === 'REJECTED' && plan.rejectedBy
          ? ` — by ${who(plan.rejectedBy)}`
          : plan.state === 'ROLLED_BACK' && plan.rollback
            ? ` — to version ${plan.rollback.toVersion} by ${who(plan.rollback.by)}${plan.rollback.slaBreached ? ' (SLA BREACHED)' : ''}`
            : plan.blocked
              ? ` — ${esc(plan.blocked.reason)}`
              : plan.failure
                ? ` — ${esc(plan.failure.split('\n')[0] ?? '')}`
                : '';
  return `${STATE_ICON[plan.state] ?? ''} *State:* \`${plan.state}\`${extra}`;
}

function costLines(plan: PlanRecord): string | undefined {
  const v = plan.validation;
  if (!v) return undefined;
  const c = v.cost;
  const lines = [
    `*Cost:* ${money(c.monthlyUsd)}/month (was ${money(c.previousMonthlyUsd)}, ${c.diffMonthlyUsd >= 0 ? '+' : ''}${money(c.diffMonthlyUsd)})`,
  ];
  const b = v.budget;
  lines.push(
    b.monthlyUsd === null
      ? '*Budget:* none set'
      : `*Budget:* ${money(b.monthlyUsd)}/month; forecast ${money(b.forecastUsd)} (${Math.round((b.ratio ?? 0) * 100)}%), brake at ${Math.round(b.brakeRatio * 100)}%${b.brake ? ' — :octagonal_sign: BRAKE' : ''}`,
  );
  return lines.join('\n');
}

function findingLines(plan: PlanRecord): { text: string; cut: boolean } | undefined {
  const v = plan.validation;
  if (!v) return undefined;
  const blocking = v.findings.filter((f) => !f.waived && (f.severity === 'HIGH' || f.severity === 'CRITICAL'));
  const head = `*Sentinel:* ${v.verdict === 'PASS' ? ':large_green_circle: PASS' : ':red_circle: FAIL'} — ${v.findings.length} finding(s), ${blocking.length} blocking`;
  const sorted = [...v.findings].sort((a, b) => rank(b.severity) - rank(a.severity));
  const rows = sorted
    .slice(0, MAX_FINDINGS)
    .map((f) => `• ${f.waived ? '_waived_ ' : ''}*${f.severity}* \`${f.ruleId}\` ${esc(f.address)}: ${esc(f.message)}`);
  const more =
    v.findings.length > MAX_FINDINGS ? [`… ${v.findings.length - MAX_FINDINGS} more in the attached file`] : [];
  const text = [head, ...rows, ...more].join('\n');
  return { text: fit(text, LIMITS.sectionText), cut: more.length > 0 || text.length > LIMITS.sectionText };
}

function rank(s: string): number {
  return ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(s);
}

function changeLines(plan: PlanRecord, changes: readonly ResourceChange[]): { text: string; cut: boolean } | undefined {
  const s = plan.summary;
  if (!s) return undefined;
  const head = `*Changes:* ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`;
  const rows = changes.slice(0, MAX_CHANGES).map((c) => `• \`${c.actions.join('/')}\` ${esc(c.address)}`);
  const more = changes.length > MAX_CHANGES ? [`… ${changes.length - MAX_CHANGES} more in the attached file`] : [];
  const text = [head, ...rows, ...more].join('\n');
  return { text: fit(text, LIMITS.sectionText), cut: more.length > 0 || text.length > LIMITS.sectionText };
}

/** The root message of a plan's review thread; re-rendered from the record on every transition. */
export function renderReview(plan: PlanRecord, changes: readonly ResourceChange[] = []): RenderedReview {
  const s = plan.spec;
  const blocks: Block[] = [
    header(`Plan ${plan.id}${s ? ` — ${s.blueprint}` : ''}`),
    section(`*Goal:* ${esc(fit(plan.goal, 2500))}`),
    fields([
      `*Requester*\n${who(plan.requestedBy)}`,
      `*Blueprint*\n${s?.blueprint ?? '_planning…_'}`,
      `*Stack*\n${plan.stack ?? s?.stack ?? '_planning…_'}`,
      `*Target*\n${s ? `${s.target}${s.region ? ` (${s.region})` : ''}` : (plan.target ?? '_planning…_')}`,
      ...(s?.blueprint === 'aws-spot-ollama' ? [`*Size*\n${instances(s.params)}`] : []),
    ]),
    section(stateLine(plan)),
  ];
  const cost = costLines(plan);
  if (cost) blocks.push(section(cost));
  const findings = findingLines(plan);
  if (findings) blocks.push(section(findings.text));
  const ch = changeLines(plan, changes);
  if (ch) blocks.push(section(ch.text));
  if (plan.reviewNote) blocks.push(section(`*Plan detail:*\n${esc(plan.reviewNote)}`));
  const origin = renderProvenance(plan);
  if (origin) blocks.push(section(origin));
  if (plan.planSha256)
    blocks.push(
      context(`plan file sha256 \`${plan.planSha256.slice(0, 16)}…\`${s ? ` · parsed by ${s.parsedBy}` : ''}`),
    );
  const value = encodeButton({ planId: plan.id, sha: plan.planSha256 ?? 'none' });
  if (plan.state === 'WAIT_FOR_APPROVE') {
    blocks.push({
      type: 'actions',
      block_id: `review:${plan.id}`,
      elements: [
        button(ACTIONS.approve, 'Approve', value, 'primary'),
        button(ACTIONS.reject, 'Reject', value, 'danger'),
      ],
    });
  } else if (plan.state === 'DONE') {
    blocks.push({
      type: 'actions',
      block_id: `review:${plan.id}`,
      elements: [button(ACTIONS.rollback, 'Rollback', value, 'danger')],
    });
  }
  // The fallback is what notifications and screen readers show: escaped like the blocks, or a
  // goal could ping <!channel> or show a link under false text.
  const text = `Plan ${plan.id} (${plan.state}) requested by ${who(plan.requestedBy)}: ${esc(fit(plan.goal, 200))}`;
  return { text, blocks: blocks.slice(0, LIMITS.blocks), truncated: Boolean(findings?.cut || ch?.cut) };
}
