import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { checkRequester } from '../src/slack/check-access.js';
import { triggerKey } from '../src/slack/claim-once.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import { decodeSuggestButton } from '../src/slack/render/render-suggestions.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * "Plan this" on a savings suggestion: acks, drops a repeated click, submits the suggestion as a
 * normal goal (FinPilot's operation), and answers only the person who clicked.
 */
export function suggestAction(deps: SlackDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    if (action.type !== 'button') return;
    const user = body.user?.id;
    if (!user) return;
    if (!(await deps.guard.claim(triggerKey(body.team?.id, { actionTs: action.action_ts, user })))) return;
    const channel = body.channel?.id ?? body.container?.channel_id;
    const v = decodeSuggestButton(action.value);
    let text: string;
    const denied = checkRequester(deps.config, user);
    if (denied) text = denied;
    else if (!deps.planSuggestion) text = 'FinOps is not configured on this crew';
    else if (!v) text = 'this button carries no suggestion; list them again with `/crew suggest`';
    else {
      const r = await deps.planSuggestion({ n: v.n, listAt: v.at, user, ...(channel ? { channel } : {}) });
      text = r.ok ? r.value : renderRefusal(r);
    }
    if (channel) await client.chat.postEphemeral({ channel, user, text });
  };
}
