import type { types } from '@slack/bolt';
import { mention } from '../check-access.js';

// Block Kit limits (platform-facts.md): 50 blocks per message, 100 in the Home tab,
// 3000 characters per section text, 75 per button label, 2000 per button value.
export const LIMITS = {
  blocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  fieldText: 2000,
} as const;

export type Block = types.KnownBlock;

/** Cuts text to a limit, marking the cut so nobody mistakes it for the whole. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}…`;
}

export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: fit(text, LIMITS.sectionText) } };
}

export function fields(items: string[]): Block {
  return {
    type: 'section',
    fields: items.slice(0, 10).map((t) => ({ type: 'mrkdwn' as const, text: fit(t, LIMITS.fieldText) })),
  };
}

export function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: fit(text, LIMITS.sectionText) }] };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: fit(text, LIMITS.headerText) } };
}

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: fit(text, LIMITS.buttonText) },
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A person: a Slack user id as a mention, any other name (a CLI login, `--as` text) escaped. */
export function who(person: string): string {
  const m = mention(person);
  return m === person ? esc(person) : m;
}
