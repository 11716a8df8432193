import { redactText } from '../src/log/redact-text.js';
import { checkRequester } from '../src/slack/check-access.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { esc, fit } from '../src/slack/render/block-kit.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import { commandHandler } from './run-command.js';
import { USAGE } from '../src/slack/render/render-usage.js';

/** `/plan <goal>`: acks at once, then submits the goal as the Slack user; the thread follows on the bus. */
export function planCommand(deps: SlackDeps) {
  return commandHandler(deps, {
    usage: USAGE.plan,
    check: ({ text, user }) => (text ? checkRequester(deps.config, user) : USAGE.plan),
    // The echo is redacted like the stored goal: a pasted token must not come back in the channel.
    ackText: ({ text }) => `:hourglass_flowing_sand: Planning: “${esc(fit(redactText(text), 300))}”`,
    run: async ({ text, user, channel }) => {
      const r = await deps.ops.submitGoal({ text, requestedBy: user, channel }, 'slack');
      if (!r.ok) return renderRefusal(r);
      const where = deps.config.reviewChannel ? ` in <#${deps.config.reviewChannel}>` : '';
      return `:memo: Plan \`${r.value.id}\` submitted; Atlas, Forge and Sentinel are on it. Follow the review thread${where}.`;
    },
  });
}
