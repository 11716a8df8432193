import { historyText, planRow, planText } from '../src/plan/render-plan.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { uploadFiles } from '../src/slack/upload-file.js';
import { postAtPace } from '../src/slack/pace-channel.js';
import { redactText } from '../src/log/redact-text.js';
import { esc, fit } from '../src/slack/render/block-kit.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import { checkRequester } from '../src/slack/check-access.js';
import { renderSuggestionBlocks } from '../src/slack/render/render-suggestions.js';
import { commandHandler, type CommandInput } from './run-command.js';
import { USAGE } from '../src/slack/render/render-usage.js';
import { errorMessage } from '../src/errors.js';

type Sub = (deps: SlackDeps, input: CommandInput, rest: string[]) => Promise<string>;

// Plans carry people's words (goals, names): escaped even inside a code block, where Slack
// still turns <!channel> into a ping.
const block = (text: string) => `\`\`\`${esc(fit(text, 2900))}\`\`\``;
const NO_FINOPS =
  ':information_source: FinOps is not configured on this crew (no schedule or digest service); ask an admin to enable FinPilot.';

const SUBCOMMANDS: Record<string, Sub> = {
  help: async () => USAGE.crew,
  status: async (deps, _input, [id]) => {
    if (!id) {
      const plans = await deps.plans.recent(15);
      return plans.length ? block(plans.map(planRow).join('\n')) : 'no plans yet — start one with `/plan <goal>`';
    }
    const r = await deps.ops.find(id);
    return r.ok ? block(planText(r.value)) : renderRefusal(r);
  },
  history: async (deps, _input, [id]) => {
    if (!id) return 'Usage: `/crew history <plan id>`';
    const r = await deps.ops.find(id);
    if (!r.ok) return renderRefusal(r);
    const rows = await deps.plans.history(id);
    return rows.length ? block(historyText(rows)) : `plan ${id} has not moved yet (${r.value.state})`;
  },
  // The reply quotes the group name as typed.
  schedule: async (deps, input, rest) => (deps.schedule ? esc(await deps.schedule(rest, input.user)) : NO_FINOPS),
  digest: async (deps, input) => {
    if (!deps.digest) return NO_FINOPS;
    const d = await deps.digest();
    if (d.png) {
      // The chart goes where the command was typed; the text comes back either way.
      await uploadFiles(input.client, input.channel, undefined, [
        { filename: 'cost-digest.png', title: 'Cost digest', data: d.png },
      ]).catch((err: unknown) => deps.logger.warn({ err: errorMessage(err) }, 'digest chart upload failed'));
    }
    return d.text;
  },
  // Drifted values come from a remote system: shown escaped in a code block, never as mrkdwn.
  drift: async (deps, input, rest) => (deps.drift ? block(await deps.drift(rest, input.user)) : NO_FINOPS),
  // AWS's answer (refresh ids, status reasons) comes from a remote system: escaped in a code block.
  rollout: async (deps, _input, [stack]) => {
    if (!stack) return 'Usage: `/crew rollout <stack>`';
    return deps.rollout ? block(await deps.rollout(stack)) : NO_FINOPS;
  },
  // The list goes to the channel with its Plan this buttons; `plan <n>` submits one.
  suggest: async (deps, input, [verb, n]) => {
    if (!deps.suggest || !deps.planSuggestion) return NO_FINOPS;
    if (verb?.toLowerCase() === 'plan') {
      const denied = checkRequester(deps.config, input.user);
      if (denied) return denied;
      const r = await deps.planSuggestion({ n: Number(n), user: input.user, channel: input.channel });
      return r.ok ? esc(r.value) : renderRefusal(r);
    }
    const message = renderSuggestionBlocks(await deps.suggest());
    await postAtPace(deps.pace, input.client, { channel: input.channel, ...message });
    return message.text;
  },
  unlock: async (deps, input, [stack]) => {
    if (!stack) return 'Usage: `/crew unlock <stack>`';
    const r = await deps.ops.unlock(stack, input.user);
    if (!r.ok) return renderRefusal(r);
    return r.value.holder
      ? `:unlock: stack ${esc(stack)} unlocked (was held by plan ${r.value.holder})`
      : `stack ${esc(stack)} was not locked`;
  },
};

/** `/crew <subcommand>`: dispatched from a map; empty or unknown input gets the usage. */
export function crewCommand(deps: SlackDeps) {
  return commandHandler(deps, {
    usage: USAGE.crew,
    check: ({ args }) =>
      args[0] && Object.hasOwn(SUBCOMMANDS, args[0].toLowerCase())
        ? undefined
        : `${args[0] ? `unknown subcommand "${esc(fit(redactText(args[0]), 40))}"\n` : ''}${USAGE.crew}`,
    run: async (input) => {
      const [name = 'help', ...rest] = input.args;
      return SUBCOMMANDS[name.toLowerCase()]!(deps, input, rest);
    },
  });
}
