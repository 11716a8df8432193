import type { types } from '@slack/bolt';
import { fit, LIMITS } from './block-kit.js';
import { parseSlackValue } from './button-value.js';

const plainText = (text: string) => ({ type: 'plain_text' as const, text });

export const CONFIRM_APPROVE = 'crew_confirm_approve';
/** The input's block and action ids: a wrong name is reported against this block. */
export const CONFIRM_BLOCK = 'confirm_stack';
export const CONFIRM_INPUT = 'stack';

/** What the modal carries between opening and submission (Slack's private_metadata, at most 3000 chars). */
export interface ConfirmMetadata {
  planId: string;
  sha: string;
  channel?: string;
  threadTs?: string;
}

/** The step-up modal: the approver types the stack name to approve a risky plan. */
export function renderConfirmModal(m: ConfirmMetadata, a: { stack: string; why: string }): types.ModalView {
  return {
    type: 'modal',
    callback_id: CONFIRM_APPROVE,
    private_metadata: JSON.stringify({ p: m.planId, s: m.sha, c: m.channel, t: m.threadTs }),
    title: plainText('Confirm approval'),
    submit: plainText('Approve'),
    close: plainText('Cancel'),
    blocks: [
      { type: 'section', text: plainText(fit(`${a.why}. Type the stack name to approve it.`, LIMITS.sectionText)) },
      {
        type: 'input',
        block_id: CONFIRM_BLOCK,
        label: plainText(`Stack name (${a.stack.slice(0, 100)})`),
        element: { type: 'plain_text_input', action_id: CONFIRM_INPUT, max_length: 200 },
      },
    ],
  };
}

const str = (v: unknown, re: RegExp): string | undefined => (typeof v === 'string' && re.test(v) ? v : undefined);

/** Raw input from a submission: `unknown` until it has the right shape. */
export function decodeConfirmMetadata(raw: unknown): ConfirmMetadata | undefined {
  const o = parseSlackValue(raw, 3000);
  if (!o) return undefined;
  const planId = str(o.p, /^[a-z0-9-]{4,64}$/);
  const sha = str(o.s, /^(?:[a-f0-9]{64}|none)$/);
  if (!planId || !sha) return undefined;
  const channel = str(o.c, /^[A-Z0-9]{1,32}$/);
  const threadTs = str(o.t, /^[0-9]{1,12}\.[0-9]{1,8}$/);
  return { planId, sha, ...(channel ? { channel } : {}), ...(threadTs ? { threadTs } : {}) };
}
