import { esc, fit, LIMITS, who } from './block-kit.js';

import type { TransitionNote } from '../../store/reply-outbox-store.js';

export type { TransitionNote };

/** One reply line per transition; details carry people's words (reasons, refusals): escaped. */
export function transitionLine(note: TransitionNote, state: string): string {
  // A note about the plan that is no move of it (its instance refresh ended).
  if (note.from === undefined && note.to === undefined) return fit(esc(note.detail), LIMITS.sectionText);
  const by = note.by ? ` by ${who(note.by)}` : '';
  return fit(`\`${note.from ?? '?'}\` → \`${note.to ?? state}\`${by}: ${esc(note.detail)}`, LIMITS.sectionText);
}

/**
 * Notes as few replies as fit (a burst of transitions becomes one reply), in order, each reply
 * within one section's worth of text; `count` is how many notes a reply carries (unreadable
 * ones included, so the caller can forget exactly those).
 */
export function replyChunks(
  notes: ReadonlyArray<TransitionNote | undefined>,
  state: string,
  max: number = LIMITS.sectionText,
): Array<{ text: string; count: number }> {
  const out: Array<{ text: string; count: number }> = [];
  let text = '';
  let count = 0;
  for (const note of notes) {
    const line = note ? transitionLine(note, state) : '';
    if (text && line && text.length + 1 + line.length > max) {
      out.push({ text, count });
      text = '';
      count = 0;
    }
    if (line) text = text ? `${text}\n${line}` : line;
    count += 1;
  }
  if (count) out.push({ text, count });
  return out;
}
