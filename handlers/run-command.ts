import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import { checkChannel } from '../src/slack/check-access.js';
import { triggerKey } from '../src/slack/claim-once.js';
import { redactText } from '../src/log/redact-text.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { esc } from '../src/slack/render/block-kit.js';
import { errorMessage } from '../src/errors.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface CommandInput {
  text: string;
  args: string[];
  user: string;
  channel: string;
  team: string;
  /** The command's trigger_id: a handler may open a modal with it (within 3 s). */
  triggerId: string;
  client: webApi.WebClient;
}

export interface CommandSpec {
  usage: string;
  /** Pure check of the input before the ack: a refusal (usually the usage) ends it there. */
  check?(input: Pick<CommandInput, 'text' | 'args' | 'user'>): string | undefined;
  /** What the ack itself says; empty when the answer follows. */
  ackText?(input: Pick<CommandInput, 'text'>): string;
  /** The work after the ack; its text is answered ephemerally to the person. */
  run(input: CommandInput): Promise<string | undefined>;
}

export const ephemeral = (text: string): RespondArguments => ({ response_type: 'ephemeral', text });

/**
 * One slash command: refuse bad input in the ack, ack within Slack's 3 s, ignore retries and
 * duplicate envelopes (one claim per trigger_id), then do the work and answer.
 */
export function commandHandler(deps: SlackDeps, spec: CommandSpec) {
  return async ({ command, ack, respond, client }: CommandArgs): Promise<void> => {
    const started = performance.now();
    const text = command.text.trim();
    const args = text.split(/\s+/).filter(Boolean);
    const refusal =
      checkChannel(deps.config, command.channel_id) ?? spec.check?.({ text, args, user: command.user_id });
    if (refusal) {
      await ack(ephemeral(refusal));
      return;
    }
    const ackText = spec.ackText?.({ text });
    await ack(ackText ? ephemeral(ackText) : undefined);
    deps.observeAck?.((performance.now() - started) / 1000);
    // The work after the ack waits for the event loop's next turn: acks of commands that arrived
    // at the same moment go out first, instead of queueing behind this one's work.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!(await deps.guard.claim(triggerKey(command.team_id, { triggerId: command.trigger_id })))) return;
    try {
      const answer = await spec.run({
        text,
        args,
        user: command.user_id,
        channel: command.channel_id,
        team: command.team_id,
        triggerId: command.trigger_id,
        client,
      });
      if (answer) await respond(ephemeral(answer));
    } catch (err) {
      deps.logger.error({ command: command.command, err: errorMessage(err) }, 'slash command failed');
      const code = (err as { code?: string }).code;
      await respond(
        ephemeral(
          `:warning: ${command.command} failed${code ? ` (${code})` : ''}: ${esc(redactText(errorMessage(err)))}`,
        ),
      ).catch(() => undefined);
    }
  };
}
