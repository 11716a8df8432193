import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, refuse } from '../src/errors.js';
import { checkRequester } from '../src/slack/check-access.js';
import { triggerKey } from '../src/slack/claim-once.js';
import { postAtPace } from '../src/slack/pace-channel.js';
import { esc, fit, who } from '../src/slack/render/block-kit.js';
import { DRIFT_ACTIONS, decodeDriftButton } from '../src/slack/render/render-drift-report.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Revert, Adopt or Snooze on a drift report: acks, drops a repeated click, hands the click to
 * the drift triage (logic in src/), then answers in the report's thread, or only the person
 * who clicked when refused.
 */
export function driftAction(deps: SlackDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const user = body.user?.id;
    if (!user) return;
    const kind = (Object.keys(DRIFT_ACTIONS) as Array<keyof typeof DRIFT_ACTIONS>).find(
      (k) => DRIFT_ACTIONS[k] === action.action_id,
    );
    const raw =
      action.type === 'button'
        ? action.value
        : action.type === 'static_select'
          ? action.selected_option?.value
          : undefined;
    if (!kind || raw === undefined) return;
    if (!(await deps.guard.claim(triggerKey(body.team?.id, { actionTs: action.action_ts, user })))) return;
    const channel = body.channel?.id ?? body.container?.channel_id;
    const threadTs = body.container?.message_ts ?? body.message?.ts;
    const v = decodeDriftButton(raw);
    let refusal: string | undefined;
    let answer: string | undefined;
    // Revert and Adopt submit plans: the same requester rule as /plan. Snooze has its own (approvers).
    const denied = kind === 'snooze' ? undefined : checkRequester(deps.config, user);
    if (denied) refusal = denied;
    else if (!deps.triageDrift) refusal = 'drift triage is not configured on this crew';
    else if (!v || (kind === 'snooze') !== (v.days !== undefined))
      refusal = 'this control carries no drift report; check again with `/crew drift <stack>`';
    else {
      const r = await deps
        .triageDrift({
          action: kind,
          stack: v.stack,
          version: v.version,
          user,
          ...(v.days !== undefined ? { days: v.days } : {}),
          ...(channel ? { channel } : {}),
        })
        .catch((err: unknown) => {
          // The person who clicked hears that it failed; the log has why.
          deps.logger.error({ action: kind, stack: v.stack, err: errorMessage(err) }, 'drift triage failed');
          return refuse('refused', `the ${kind} of stack ${v.stack} failed; the crew's log has the reason`);
        });
      if (r.ok) {
        // Adopt's lines quote observed values (from a remote system): inside one code block.
        const [first = '', ...rest] = r.value.split('\n');
        answer = `${who(user)}: ${esc(first)}${rest.length ? `\n\`\`\`${esc(fit(rest.join('\n'), 2900))}\`\`\`` : ''}`;
      } else refusal = renderRefusal(r);
    }
    if (!channel) return;
    if (answer)
      await postAtPace(deps.pace, client, { channel, text: answer, ...(threadTs ? { thread_ts: threadTs } : {}) });
    else if (refusal) await client.chat.postEphemeral({ channel, user, text: refusal });
  };
}
