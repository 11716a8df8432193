import { decidePlan } from '../src/slack/decide-plan.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import { renderConfirmModal } from '../src/slack/render/render-confirm-modal.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { commandHandler } from './run-command.js';
import { USAGE } from '../src/slack/render/render-usage.js';

/**
 * `/approve <id> [sha256 prefix]` and `/reject <id> [reason]`. With a sha prefix the approval binds
 * to the plan file the person reviewed; without, to the current one (the reply says which).
 */
export function decideCommand(deps: SlackDeps, decision: 'approve' | 'reject') {
  const usage = decision === 'approve' ? USAGE.approve : USAGE.reject;
  return commandHandler(deps, {
    usage,
    check: ({ args }) =>
      args.length === 0 ||
      (decision === 'approve' && (args.length > 2 || (args.length === 2 && !/^[0-9a-fA-F]{7,64}$/.test(args[1]!))))
        ? usage
        : undefined,
    run: async ({ args, user, channel, triggerId, client }) => {
      const [planId = '', ...rest] = args;
      if (decision === 'approve') {
        const sha = rest[0];
        const r = await decidePlan(deps, { planId, decision, by: user, ...(sha ? { sha } : {}) });
        // A risky plan: ask for the stack name in the same modal as the button (bound to the file judged).
        if (!r.ok && r.stepUp && r.plan?.planSha256) {
          await client.views.open({
            trigger_id: triggerId,
            view: renderConfirmModal({ planId: r.plan.id, sha: r.plan.planSha256, channel }, r.stepUp),
          });
          return undefined;
        }
        return r.ok ? r.value : renderRefusal(r);
      }
      const reason = rest.join(' ').slice(0, 1000);
      const r = await decidePlan(deps, { planId, decision, by: user, ...(reason ? { reason } : {}) });
      return r.ok ? r.value : renderRefusal(r);
    },
  });
}
