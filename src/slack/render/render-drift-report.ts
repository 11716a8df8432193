import type { types } from '@slack/bolt';
import { SNOOZE_DAYS } from '../../agents/forge/drift-chat-triage.js';
import { renderStackDrift } from '../../agents/forge/drift-render-text.js';
import type { StackDriftResult } from '../../store/drift-types.js';
import { button, context, esc, fit, LIMITS, section, type Block } from './block-kit.js';
import { parseSlackValue } from './button-value.js';

/** The drift report's triage controls: Revert and Adopt buttons, and a Snooze menu of durations. */
export const DRIFT_ACTIONS = {
  revert: 'crew_drift_revert',
  adopt: 'crew_drift_adopt',
  snooze: 'crew_drift_snooze',
} as const;

/** Which stack and which applied version a control was rendered for; `d`: snooze days. */
export interface DriftButton {
  stack: string;
  version: number;
  days?: number;
}

export function encodeDriftButton(v: DriftButton): string {
  return JSON.stringify({ s: v.stack, v: v.version, ...(v.days !== undefined ? { d: v.days } : {}) });
}

/** Raw input from a click: `unknown` until it has the right shape. */
export function decodeDriftButton(raw: unknown): DriftButton | undefined {
  const v = parseSlackValue(raw, 200);
  if (!v) return undefined;
  const { s, v: version, d } = v;
  if (typeof s !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(s)) return undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return undefined;
  if (d !== undefined && (typeof d !== 'number' || !(SNOOZE_DAYS as readonly number[]).includes(d))) return undefined;
  return { stack: s, version, ...(typeof d === 'number' ? { days: d } : {}) };
}

function snoozeMenu(r: { stack: string; version: number }): types.StaticSelect {
  return {
    type: 'static_select',
    action_id: DRIFT_ACTIONS.snooze,
    placeholder: { type: 'plain_text', text: 'Snooze until…' },
    options: SNOOZE_DAYS.map((days) => ({
      text: { type: 'plain_text' as const, text: days === 1 ? 'tomorrow (1 day)' : `${days} days` },
      value: encodeDriftButton({ stack: r.stack, version: r.version, days }),
    })),
  };
}

/**
 * One stack's drift report, the root of its thread: what drifted (values as inert text in one
 * code block) and, when drift was found on an applied version, Revert, Adopt and Snooze.
 */
export function renderDriftReport(r: StackDriftResult): { text: string; blocks: Block[] } {
  const text =
    r.status === 'drifted'
      ? `Drift on stack ${r.stack}: ${r.drift.length} attribute${r.drift.length === 1 ? '' : 's'} changed outside the crew`
      : `Drift check of stack ${r.stack}: ${r.status}`;
  const icon = r.status === 'drifted' ? ':warning:' : r.status === 'failed' ? ':x:' : ':white_check_mark:';
  const lines = renderStackDrift(r);
  const blocks: Block[] = [
    section(`${icon} *${esc(text)}*`),
    // Drifted values come from a remote system: escaped inside one code block, never mrkdwn.
    section(`\`\`\`${esc(fit(lines.join('\n'), LIMITS.sectionText - 10))}\`\`\``),
  ];
  if (r.status === 'drifted' && r.version !== undefined) {
    const value = encodeDriftButton({ stack: r.stack, version: r.version });
    blocks.push({
      type: 'actions',
      block_id: 'drift_triage',
      elements: [
        button(DRIFT_ACTIONS.revert, 'Revert', value, 'danger'),
        button(DRIFT_ACTIONS.adopt, 'Adopt', value, 'primary'),
        snoozeMenu({ stack: r.stack, version: r.version }),
      ],
    });
    blocks.push(
      context(
        `Checked ${esc(r.checkedAt)} against applied plan ${esc(r.planId ?? '?')} (version ${r.version}). *Revert* plans the approved spec back; *Adopt* plans the observed values into the spec where a param maps to them. Both are normal plans: Sentinel reviews them and a different person approves them. *Snooze* (approvers) silences this stack's reports.`,
      ),
    );
  }
  return { text, blocks };
}

/** A scheduled run with nothing to triage: one line. */
export function renderCleanRun(summary: string): { text: string; blocks: Block[] } {
  const text = `Drift check: ${summary}`;
  return { text, blocks: [section(`:white_check_mark: ${esc(text)}`)] };
}
