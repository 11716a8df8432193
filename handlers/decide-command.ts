import { decidePlan } from '../src/slack/decide-plan.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { commandHandler } from './run-command.js';
import { USAGE } from './render-usage.js';

/** `/approve <id>` and `/reject <id> [reason]`: the Slack user decides on the plan's current file. */
export function decideCommand(deps: SlackDeps, decision: 'approve' | 'reject') {
  const usage = decision === 'approve' ? USAGE.approve : USAGE.reject;
  return commandHandler(deps, {
    usage,
    check: ({ args }) => (args.length === 0 || (decision === 'approve' && args.length > 1) ? usage : undefined),
    run: async ({ args, user }) => {
      const [planId = '', ...rest] = args;
      const reason = rest.join(' ').slice(0, 1000);
      const r = await decidePlan(deps, { planId, decision, by: user, ...(reason ? { reason } : {}) });
      return r.ok ? r.text : `:no_entry: ${r.refusal}`;
    },
  });
}
