import type { AccessRules } from '../../access/access-policy.js';
import { DriftStore } from '../../store/drift-store.js';
import type { DriftRunResult } from '../../store/drift-types.js';
import { renderDriftRun } from './drift-render-text.js';
import { runDriftChecks, type DriftRunOptions } from './drift-run.js';
import { snoozeDrift } from './drift-snooze.js';

export const DRIFT_USAGE = 'Usage: `/crew drift [<stack>]` or `/crew drift snooze <stack> <YYYY-MM-DD>`';

/**
 * `/crew drift [<stack>]` and `/crew drift snooze <stack> <date>` from chat: plain text back
 * (the surface escapes it), the same checks and rules as `crew drift` in a terminal; `onRun`
 * gets each run (to post its reports).
 */
export async function driftChatCommand(
  o: DriftRunOptions,
  access: () => Promise<Pick<AccessRules, 'approvers'>>,
  args: readonly string[],
  user: string,
  onRun?: (run: DriftRunResult) => Promise<void>,
): Promise<string> {
  const [first, second, third] = args;
  if (first === 'snooze') {
    if (!second || !third) return DRIFT_USAGE;
    const r = await snoozeDrift(
      {
        store: o.store ?? new DriftStore({ redis: o.redis }),
        stacks: o.stacks,
        plans: o.plans,
        access: await access(),
        now: (o.now ?? (() => new Date()))(),
      },
      second,
      third,
      user,
    );
    return r.ok ? `drift reports of ${second} snoozed until ${r.snooze.until}` : `refused: ${r.refusal}`;
  }
  const r = await runDriftChecks(o, 'slack', first);
  if (!r.ok) return `refused: ${r.refusal}`;
  // The reports with their Revert / Adopt / Snooze controls go to the review channel.
  await onRun?.(r.run);
  return renderDriftRun(r.run.stacks).join('\n');
}
