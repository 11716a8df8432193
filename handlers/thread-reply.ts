import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { continueBlockedPlan } from '../src/slack/continue-blocked-plan.js';
import { postAtPace } from '../src/slack/pace-channel.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { esc } from '../src/slack/render/block-kit.js';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * A reply in a thread: when it answers Atlas's question on the requester's own blocked plan,
 * the goal continues as a new plan in the same thread (events_api acks are automatic).
 */
export function threadReply(deps: SlackDeps) {
  return async ({ event, client }: MessageArgs): Promise<void> => {
    // Plain human messages only: edits, joins and bot posts (our own included) carry a subtype or bot_id.
    if (event.subtype !== undefined || 'bot_id' in event) return;
    if (!event.thread_ts || event.thread_ts === event.ts || !event.user) return;
    const r = await continueBlockedPlan(deps, {
      user: event.user,
      channel: event.channel,
      threadTs: event.thread_ts,
      text: event.text ?? '',
    });
    if (r.kind === 'ignored') return;
    const text =
      r.kind === 'continued'
        ? `:arrows_counterclockwise: Continuing plan \`${r.from.id}\` with your answer: plan \`${r.planId}\` follows in this thread.`
        : `:no_entry: ${esc(r.message)}`;
    await postAtPace(deps.pace, client, { channel: event.channel, thread_ts: event.thread_ts, text });
  };
}
