// Text from a remote system (a drifted value, what AWS says of a refresh), shown and never
// evaluated: control, bidi and line-separator characters written as \u escapes, so nothing it
// holds can recolour a terminal, reorder what a reviewer reads or break a line; cut to a length.

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** The same, and backticks: text shown inside a code block cannot close it early. */
const HIDDEN_OR_BACKTICK = /[`\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` as inert text of at most `max` characters (an ellipsis ends a cut one). */
export function inertText(text: string, max: number, o: { backticks?: boolean } = {}): string {
  const safe = text.replace(o.backticks ? HIDDEN_OR_BACKTICK : HIDDEN, escaped);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
