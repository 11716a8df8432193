import { rollbackPreviewOf } from '../../plan/describe-rollback.js';
import { instances, unpricedLine } from '../../plan/render-plan.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import { ACTIONS, encodeButton } from './button-value.js';
import { button, context, esc, fields, fit, header, section, who } from './block-kit.js';
import { fitRows, type MessageSection } from './fit-sections.js';
import { renderProvenance } from './render-provenance.js';
import { signedUsd, usd } from '../../util/format-usd.js';

export interface ResourceChange {
  address: string;
  actions: string[];
}

/** What a review message is rendered from. */
export interface ReviewInput {
  plan: PlanRecord;
  /** The plan's resource changes, destroys and replacements first (readTopChanges). */
  changes: readonly ResourceChange[];
  /** The full plan page, when the crew serves one. */
  fullPlanUrl?: string;
}

export type ReviewSection = (input: ReviewInput) => MessageSection | undefined;

// Priorities: what gives way first when a message is over budget (lowest first).
export const PRIORITY = { essential: 100, link: 90, facts: 80, cost: 70, findings: 60, changes: 60, detail: 20 };

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
// The short forms keep a message well inside its budget when everything is long.
const SHORT_TEXT = 1200;

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

const title: ReviewSection = ({ plan }) => ({
  id: 'title',
  priority: PRIORITY.essential,
  required: true,
  blocks: [header(`Plan ${plan.id}${plan.spec ? ` — ${plan.spec.blueprint}` : ''}`)],
});

const goal: ReviewSection = ({ plan }) => ({
  id: 'goal',
  priority: PRIORITY.essential,
  required: true,
  blocks: [section(`*Goal:* ${esc(fit(plan.goal, 2500))}`)],
  short: [section(`*Goal:* ${esc(fit(plan.goal, 300))}`)],
});

const facts: ReviewSection = ({ plan }) => {
  const s = plan.spec;
  return {
    id: 'facts',
    priority: PRIORITY.facts,
    blocks: [
      fields([
        `*Requester*\n${who(plan.requestedBy)}`,
        `*Blueprint*\n${s?.blueprint ?? '_planning…_'}`,
        `*Stack*\n${plan.stack ?? s?.stack ?? '_planning…_'}`,
        `*Target*\n${s ? `${s.target}${s.region ? ` (${s.region})` : ''}` : (plan.target ?? '_planning…_')}`,
        ...(s?.blueprint === 'aws-spot-ollama' ? [`*Size*\n${instances(s.params)}`] : []),
      ]),
    ],
  };
};

const state: ReviewSection = ({ plan }) => ({
  id: 'state',
  priority: PRIORITY.essential,
  required: true,
  blocks: [section(stateLine(plan))],
});

/** Only http(s); the characters that end or split a Slack link are percent-encoded. */
export function safeLink(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.href.replace(/[|<> ]/g, (c) => encodeURIComponent(c));
}

const fullPlanLink: ReviewSection = ({ plan, fullPlanUrl }) => {
  const url = safeLink(fullPlanUrl);
  return url
    ? {
        id: 'full-plan',
        priority: PRIORITY.link,
        blocks: [section(`:page_facing_up: *Full plan:* <${url}|plan ${plan.id}>`)],
      }
    : undefined;
};

/** The line saying what the cost leaves out, when it leaves something out. */
const unpriced = (c: Parameters<typeof unpricedLine>[0]): string[] => {
  const line = unpricedLine(c);
  return line ? [`:warning: *Not priced:* ${esc(line)}`] : [];
};

const cost: ReviewSection = ({ plan }) => {
  const v = plan.validation;
  if (!v) return undefined;
  const c = v.cost;
  const b = v.budget;
  const lines = [
    `*Cost:* ${usd(c.monthlyUsd)}/month (was ${usd(c.previousMonthlyUsd)}, ${signedUsd(c.diffMonthlyUsd)})`,
    ...unpriced(c),
    b.monthlyUsd === null
      ? '*Budget:* none set'
      : `*Budget:* ${usd(b.monthlyUsd)}/month; forecast ${usd(b.forecastUsd)} (${Math.round((b.ratio ?? 0) * 100)}%), brake at ${Math.round(b.brakeRatio * 100)}%${b.brake ? ' — :octagonal_sign: BRAKE' : ''}`,
  ];
  // What a rollback would do, and what it cannot undo (at most 5 here; status --json has all).
  const rb = rollbackPreviewOf(plan);
  if (rb) {
    lines.push(`*${esc(rb.summary.replace(/^if you roll this back:/, 'If you roll this back:*'))}`);
    for (const i of rb.irreversible.slice(0, 5)) lines.push(`• :warning: cannot be undone: ${esc(i.label)}`);
    if (rb.irreversible.length > 5) lines.push(`… ${rb.irreversible.length - 5} more that cannot be undone`);
  }
  return { id: 'cost', priority: PRIORITY.cost, blocks: [section(lines.join('\n'))] };
};

const SEVERITY = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
type Finding = NonNullable<PlanRecord['validation']>['findings'][number];
const isBlocking = (f: Finding) => !f.waived && (f.severity === 'HIGH' || f.severity === 'CRITICAL');

const findings: ReviewSection = ({ plan }) => {
  const v = plan.validation;
  if (!v) return undefined;
  const blocking = v.findings.filter(isBlocking);
  const head = `*Sentinel:* ${v.verdict === 'PASS' ? ':large_green_circle: PASS' : ':red_circle: FAIL'} — ${v.findings.length} finding(s), ${blocking.length} blocking`;
  // Blocking first, then by severity: what stops the plan is what a reviewer must see.
  const sorted = [...v.findings].sort(
    (a, b) =>
      Number(isBlocking(b)) - Number(isBlocking(a)) || SEVERITY.indexOf(b.severity) - SEVERITY.indexOf(a.severity),
  );
  const row = (f: Finding) =>
    `• ${f.waived ? '_waived_ ' : ''}*${f.severity}* \`${f.ruleId}\` ${esc(f.address)}: ${esc(f.message)}`;
  const more = (left: number) => `… ${left} more in the attached file`;
  const full = fitRows(head, sorted.map(row), more);
  const short = fitRows(
    head,
    blocking.map(row),
    (left) => `… ${left} more blocking; all ${v.findings.length} in the attached file`,
    SHORT_TEXT,
  );
  return {
    id: 'findings',
    priority: PRIORITY.findings,
    blocks: [section(full.text)],
    short: [section(short.text)],
    cut: full.shown < sorted.length,
  };
};

const DESTRUCTIVE = (c: ResourceChange) => c.actions.includes('delete');

const changes: ReviewSection = ({ plan, changes: all }) => {
  const s = plan.summary;
  if (!s) return undefined;
  const head = `*Changes:* ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`;
  // Destroys and replacements first (readTopChanges sorts them so; kept here for any caller).
  const sorted = [...all.filter(DESTRUCTIVE), ...all.filter((c) => !DESTRUCTIVE(c))];
  const row = (c: ResourceChange) => `• \`${c.actions.join('/')}\` ${esc(c.address)}`;
  const more = (left: number) => `… ${left} more in the attached file`;
  const full = fitRows(head, sorted.map(row), more);
  const destructive = sorted.filter(DESTRUCTIVE);
  const short = fitRows(
    head,
    destructive.map(row),
    (left) => `… ${left} more destroy/replace; every change in the attached file`,
    SHORT_TEXT,
  );
  return {
    id: 'changes',
    priority: PRIORITY.changes,
    blocks: [section(full.text)],
    short: [section(short.text)],
    cut: full.shown < sorted.length,
  };
};

const planFile: ReviewSection = ({ plan }) =>
  plan.planSha256
    ? {
        id: 'plan-file',
        priority: PRIORITY.detail,
        blocks: [
          context(
            `plan file sha256 \`${plan.planSha256.slice(0, 16)}…\`${plan.spec ? ` · parsed by ${plan.spec.parsedBy}` : ''}`,
          ),
        ],
      }
    : undefined;

const buttons: ReviewSection = ({ plan }) => {
  const value = encodeButton({ planId: plan.id, sha: plan.planSha256 ?? 'none' });
  const elements =
    plan.state === 'WAIT_FOR_APPROVE'
      ? [button(ACTIONS.approve, 'Approve', value, 'primary'), button(ACTIONS.reject, 'Reject', value, 'danger')]
      : plan.state === 'DONE'
        ? [button(ACTIONS.rollback, 'Rollback', value, 'danger')]
        : [];
  return elements.length
    ? {
        id: 'buttons',
        priority: PRIORITY.essential,
        required: true,
        blocks: [{ type: 'actions', block_id: `review:${plan.id}`, elements }],
      }
    : undefined;
};

/**
 * The review message, top to bottom. Adding a section is one line here plus its builder;
 * fitSections (render-review.ts) applies the budget by priority.
 */
// What the plan step found that the change list cannot say (e.g. the records a DNS removal deletes).
const planDetail: ReviewSection = ({ plan }) =>
  plan.reviewNote
    ? {
        id: 'plan-detail',
        priority: PRIORITY.cost,
        blocks: [section(`*Plan detail:*\n${esc(fit(plan.reviewNote, 2800))}`)],
        short: [section(`*Plan detail:*\n${esc(fit(plan.reviewNote, SHORT_TEXT))}`)],
      }
    : undefined;

// Where each value came from, and what Atlas did not understand.
const provenance: ReviewSection = ({ plan }) => {
  const origin = renderProvenance(plan);
  return origin ? { id: 'provenance', priority: PRIORITY.findings, blocks: [section(origin)] } : undefined;
};

export const REVIEW_SECTIONS: readonly ReviewSection[] = [
  title,
  goal,
  facts,
  state,
  fullPlanLink,
  cost,
  findings,
  changes,
  planDetail,
  provenance,
  planFile,
  buttons,
];

/** What a review falls back to when Slack refuses the full one: who, what state, the buttons. */
export const ESSENTIAL_SECTIONS: readonly ReviewSection[] = [title, state, buttons];
