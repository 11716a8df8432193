import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { CommandArgs } from './run-command.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { ACTIONS } from '../src/slack/render/button-value.js';
import { CONFIRM_APPROVE } from '../src/slack/render/render-confirm-modal.js';
import { confirmApproval } from './confirm-approval.js';
import { crewCommand } from './crew-command.js';
import { decideCommand } from './decide-command.js';
import { driftAction } from './drift-action.js';
import { DRIFT_ACTIONS } from '../src/slack/render/render-drift-report.js';
import { homeOpened } from './home-opened.js';
import { planCommand } from './plan-command.js';
import { reviewAction } from './review-actions.js';
import { rollbackCommand } from './rollback-command.js';
import { SUGGEST_ACTION } from '../src/slack/render/render-suggestions.js';
import { suggestAction } from './suggest-action.js';
import { threadReply } from './thread-reply.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A pattern that matches exactly these names. */
const exactly = (names: readonly string[]): RegExp =>
  new RegExp(`^(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);

/**
 * Every Slack entry point of infracrew, in one place. One listener per kind of request, which
 * hands it to the handler of its name: Bolt runs every listener's matching for every request,
 * so each listener more costs every request (`npm run bench`'s `slack` part: 14 more listeners
 * on a bare Bolt app raised its ack p50 from ~70 to ~100–120 ms in a burst of 100).
 */
export function registerHandlers(app: App, deps: SlackDeps): void {
  const commands: Record<string, (args: CommandArgs) => Promise<void>> = {
    '/plan': planCommand(deps),
    '/approve': decideCommand(deps, 'approve'),
    '/reject': decideCommand(deps, 'reject'),
    '/rollback': rollbackCommand(deps),
    '/crew': crewCommand(deps),
  };
  app.command(exactly(Object.keys(commands)), async (args) => commands[args.command.command]?.(args));
  const review = reviewAction(deps);
  const drift = driftAction(deps);
  const actions: Record<string, (args: ActionArgs) => Promise<void>> = {
    ...Object.fromEntries(Object.values(ACTIONS).map((id) => [id, review])),
    [SUGGEST_ACTION]: suggestAction(deps),
    ...Object.fromEntries(Object.values(DRIFT_ACTIONS).map((id) => [id, drift])),
  };
  app.action({ type: 'block_actions', action_id: exactly(Object.keys(actions)) }, async (args) =>
    actions[args.action.action_id]?.(args),
  );
  app.view({ type: 'view_submission', callback_id: CONFIRM_APPROVE }, confirmApproval(deps));
  app.event('app_home_opened', homeOpened(deps));
  app.event('message', threadReply(deps));
}
