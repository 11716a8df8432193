import type { SuggestionList } from '../../agents/finpilot/suggest-savings.js';
import { esc, fit, LIMITS, section, type Block } from './block-kit.js';
import { parseSlackValue } from './button-value.js';

/** The "Plan this" button: which suggestion of which list (a click on an old list is refused). */
export const SUGGEST_ACTION = 'crew_suggest_plan';

export interface SuggestButton {
  n: number;
  at: string;
}

export function encodeSuggestButton(v: SuggestButton): string {
  return JSON.stringify({ n: v.n, at: v.at });
}

/** Raw input from a click: `unknown` until it has the right shape. */
export function decodeSuggestButton(raw: unknown): SuggestButton | undefined {
  const v = parseSlackValue(raw, 200);
  if (!v) return undefined;
  const { n, at } = v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1000) return undefined;
  if (typeof at !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at)) return undefined;
  return { n, at };
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const MAX_SHOWN = 20;

/** The weekly suggestions message: one section per suggestion, a "Plan this" button beside each that has a goal. */
export function renderSuggestionBlocks(list: SuggestionList): { text: string; blocks: Block[] } {
  const total = list.suggestions.reduce((s, x) => s + x.monthlyUsd, 0);
  const text = list.suggestions.length
    ? `Savings suggestions: ${usd(total)}/month (${usd(total * 12)}/year) in ${list.suggestions.length} change(s)`
    : 'Savings suggestions: none this week';
  const blocks: Block[] = [section(`:moneybag: *${esc(text)}*`)];
  for (const s of list.suggestions.slice(0, MAX_SHOWN)) {
    const body = `*${s.n}. ${esc(s.stack)}*: ${esc(s.title)} (${usd(s.yearlyUsd)}/year; ${usd(s.currentMonthlyUsd)} → ${usd(s.proposedMonthlyUsd)}/month)\n${esc(s.why)}${s.goal ? `\ngoal: _${esc(s.goal)}_` : `\n${esc(s.howTo ?? '')}`}`;
    const block: Block = {
      type: 'section',
      text: { type: 'mrkdwn', text: fit(body, LIMITS.sectionText) },
      ...(s.goal
        ? {
            accessory: {
              type: 'button',
              action_id: SUGGEST_ACTION,
              text: { type: 'plain_text', text: 'Plan this' },
              value: encodeSuggestButton({ n: s.n, at: list.at }),
            },
          }
        : {}),
    };
    blocks.push(block);
  }
  if (list.suggestions.length > MAX_SHOWN)
    blocks.push(section(`…and ${list.suggestions.length - MAX_SHOWN} more: \`crew suggest\``));
  blocks.push(
    section(
      '_Plan this submits the goal as a normal plan: Atlas reads it, Sentinel prices it (the same saving), and a different person approves it._',
    ),
  );
  return { text, blocks };
}
