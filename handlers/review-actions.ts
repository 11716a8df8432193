import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { refuse, type Result } from '../src/errors.js';
import { triggerKey } from '../src/slack/claim-once.js';
import { decidePlan } from '../src/slack/decide-plan.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import { rollbackPlan } from '../src/slack/rollback-plan.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { ACTIONS, decodeButton } from '../src/slack/render/button-value.js';
import { renderConfirmModal } from '../src/slack/render/render-confirm-modal.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Approve / Reject / Rollback buttons on a review. Acks first; a retried envelope or a repeated
 * click (same action_ts and user) is dropped; the answer goes only to the person who clicked.
 */
export function reviewAction(deps: SlackDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    if (action.type !== 'button') return;
    // A click with no user is not from Slack's UI: nobody to answer, nothing to do.
    const user = body.user?.id;
    if (!user) return;
    if (!(await deps.guard.claim(triggerKey(body.team?.id, { actionTs: action.action_ts, user })))) return;
    const channel = body.channel?.id ?? body.container?.channel_id;
    const threadTs = body.message?.thread_ts ?? body.message?.ts ?? body.container?.message_ts;
    const v = decodeButton(action.value);
    let r: Result<string> & { stepUp?: { stack: string; why: string } };
    if (!v) {
      r = refuse('bad-input', 'this button carries no plan; use the buttons on a current review message');
    } else if (action.action_id === ACTIONS.rollback) {
      r = await rollbackPlan(deps, { planId: v.planId, by: user });
    } else {
      r = await decidePlan(deps, {
        planId: v.planId,
        decision: action.action_id === ACTIONS.approve ? 'approve' : 'reject',
        by: user,
        sha: v.sha,
      });
    }
    // A risky plan: the approver confirms by typing the stack name in a modal (its submission decides).
    if (!r.ok && r.stepUp && v && body.trigger_id) {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderConfirmModal(
          { planId: v.planId, sha: v.sha, channel, threadTs: body.message?.thread_ts },
          r.stepUp,
        ),
      });
      return;
    }
    const text = r.ok ? r.value : renderRefusal(r);
    if (!channel) return;
    await client.chat.postEphemeral({
      channel,
      user,
      text,
      ...(threadTs && body.message?.thread_ts ? { thread_ts: threadTs } : {}),
    });
  };
}
