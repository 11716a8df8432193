import type { Denied } from '../../errors.js';
import { esc } from './block-kit.js';

/** A refusal as the person who asked sees it in Slack (their words in it escaped). */
export function renderRefusal(r: Denied): string {
  return `:no_entry: ${esc(r.refusal)}`;
}
