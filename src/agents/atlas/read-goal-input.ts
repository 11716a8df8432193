import { checkPayload } from '../../../contracts/validate-artifact.js';
import type { AtlasContext, GoalMeta } from './atlas-types.js';
import { MAX_GOAL_CHARS } from './default-atlas-defaults.js';
import { refuse, type Refusal } from '../../errors.js';

// Tabs and newlines are fine; other control characters and bidi overrides hide text from reviewers.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
// Zero-width characters can split "0.0.0.0/0" so that the parser misses what a reviewer reads.
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/;

function checkText(text: string): string | undefined {
  if (text.trim() === '')
    return 'the goal is empty: say what to build, e.g. "private Ollama on spot g4dn.xlarge in eu-west-1"';
  if (text.length > MAX_GOAL_CHARS)
    return `the goal is too long (${text.length} characters; the limit is ${MAX_GOAL_CHARS})`;
  if (CONTROL.test(text)) return 'the goal contains control characters; send plain text';
  if (INVISIBLE.test(text))
    return 'the goal contains invisible (zero-width) characters that could hide what it asks for; send plain text';
  return undefined;
}

/** Plain text, or a GoalStatement JSON object; either way checked before anything reads it. */
export function readGoalInput(goal: string, ctx: AtlasContext): { ok: true; meta: GoalMeta } | Refusal<'bad-input'> {
  if (typeof goal !== 'string') return refuse('bad-input', 'the goal must be text');
  const bad = checkText(goal);
  if (bad) return refuse('bad-input', bad);
  let meta: GoalMeta = { text: goal.trim() };
  if (goal.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(goal);
    } catch {
      return refuse('bad-input', 'the goal starts with "{" but is not valid JSON (expected a GoalStatement)');
    }
    const checked = checkPayload('GoalStatement', parsed, 'goal');
    if (!checked.ok) return refuse('bad-input', checked.reason);
    const g = checked.value;
    const inner = checkText(g.text);
    if (inner) return refuse('bad-input', inner);
    meta = { text: g.text.trim(), budgetUsd: g.budgetUsd, target: g.target, stack: g.stack };
  }
  // Options from the caller (CLI --stack, surface budget) fill what the statement leaves out.
  meta.stack ??= ctx.stack;
  meta.budgetUsd ??= ctx.budgetUsd;
  if (meta.stack !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(meta.stack)) {
    return refuse(
      'bad-input',
      `stack name "${meta.stack}" is not valid: use lowercase letters, digits and dashes, starting with a letter (max 40)`,
    );
  }
  if (meta.budgetUsd !== undefined && !(meta.budgetUsd >= 0 && meta.budgetUsd <= 1e9)) {
    return refuse('bad-input', `budget ${meta.budgetUsd} is not a usable amount`);
  }
  return { ok: true, meta };
}
