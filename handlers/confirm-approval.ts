import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { decidePlan } from '../src/slack/decide-plan.js';
import { CONFIRM_BLOCK, CONFIRM_INPUT, decodeConfirmMetadata } from '../src/slack/render/render-confirm-modal.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { fit } from '../src/slack/render/block-kit.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The step-up modal's submission: the typed stack name goes to the same decision as the button,
 * which judges it. A refusal (a wrong name, a re-planned file) stays in the modal as the input's
 * error; an accepted approval closes it and the approver hears the outcome in the channel.
 */
export function confirmApproval(deps: SlackDeps) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const m = decodeConfirmMetadata(view.private_metadata);
    const typed = view.state.values[CONFIRM_BLOCK]?.[CONFIRM_INPUT]?.value ?? '';
    if (!m) {
      await ack({
        response_action: 'errors',
        errors: { [CONFIRM_BLOCK]: 'this dialog carries no plan; use a current review' },
      });
      return;
    }
    const user = body.user.id;
    const r = await decidePlan(deps, { planId: m.planId, decision: 'approve', by: user, sha: m.sha, confirm: typed });
    if (!r.ok) {
      const error = r.stepUp ? `"${typed.slice(0, 60)}" is not the stack: type ${r.stepUp.stack}` : r.refusal;
      await ack({ response_action: 'errors', errors: { [CONFIRM_BLOCK]: fit(error, 500) } });
      return;
    }
    await ack();
    if (m.channel)
      await client.chat.postEphemeral({
        channel: m.channel,
        user,
        text: r.value,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      });
  };
}
