import { LIMITS, type Block } from './block-kit.js';

/**
 * One part of a message. Sections are shown in the order given; when the message is over
 * budget, the lowest `priority` gives way first: its `short` form if it has one, then the whole
 * section unless it is `required`.
 */
export interface MessageSection {
  id: string;
  priority: number;
  blocks: Block[];
  /** A smaller form, used before the section is left out. */
  short?: Block[];
  /** Never left out (the header, the state line, the buttons). */
  required?: boolean;
  /** True when even the full form leaves rows out (a file carries them). */
  cut?: boolean;
}

export interface MessageBudget {
  blocks: number;
  /** Characters of the blocks as JSON: Slack answers msg_blocks_too_long around 13 k in practice. */
  jsonChars: number;
}

/** Well under Slack's limits: 50 blocks, and room below the ~13 k characters of JSON. */
export const MESSAGE_BUDGET: MessageBudget = { blocks: LIMITS.blocks, jsonChars: 11_000 };

export interface FittedMessage {
  blocks: Block[];
  /** Sections shown short or left out, by id. */
  shortened: string[];
  dropped: string[];
  /** Something did not fit: the full content belongs in a file. */
  cut: boolean;
}

interface Slot {
  s: MessageSection;
  form: 'full' | 'short' | 'none';
}

const blocksOf = (x: Slot): Block[] => (x.form === 'full' ? x.s.blocks : x.form === 'short' ? (x.s.short ?? []) : []);

function size(slots: readonly Slot[]): { blocks: number; chars: number } {
  const all = slots.flatMap(blocksOf);
  return { blocks: all.length, chars: JSON.stringify(all).length };
}

/** The one place a message's budget is applied: returns the blocks that fit, in section order. */
export function fitSections(
  sections: ReadonlyArray<MessageSection | undefined>,
  budget: MessageBudget = MESSAGE_BUDGET,
): FittedMessage {
  const slots: Slot[] = sections.filter((s): s is MessageSection => s !== undefined).map((s) => ({ s, form: 'full' }));
  const over = () => {
    const n = size(slots);
    return n.blocks > budget.blocks || n.chars > budget.jsonChars;
  };
  // Lowest priority first; among equals, the later section gives way first.
  const byPriority = slots.map((x, i) => ({ x, i })).sort((a, b) => a.x.s.priority - b.x.s.priority || b.i - a.i);
  for (const { x } of byPriority) {
    if (!over()) break;
    if (x.s.short) x.form = 'short';
  }
  for (const { x } of byPriority) {
    if (!over()) break;
    if (!x.s.required) x.form = 'none';
  }
  const kept = slots.flatMap(blocksOf);
  return {
    // Required sections alone past the block count: the count is a hard limit, cut there.
    blocks: kept.slice(0, budget.blocks),
    shortened: slots.filter((x) => x.form === 'short').map((x) => x.s.id),
    dropped: slots.filter((x) => x.form === 'none').map((x) => x.s.id),
    cut: slots.some((x) => x.form !== 'full' || x.s.cut === true),
  };
}

/** As many rows as fit in one section text after `head`, then `more(left)` for the rest. */
export function fitRows(
  head: string,
  rows: readonly string[],
  more: (left: number) => string,
  max: number = LIMITS.sectionText,
): { text: string; shown: number } {
  let text = head;
  let shown = 0;
  for (const row of rows) {
    const tail = rows.length - shown - 1 > 0 ? `\n${more(rows.length - shown - 1)}` : '';
    if (text.length + 1 + row.length + tail.length > max) break;
    text += `\n${row}`;
    shown += 1;
  }
  if (shown < rows.length) text += `\n${more(rows.length - shown)}`;
  return { text: text.slice(0, max), shown };
}
