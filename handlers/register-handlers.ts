import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
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

/** What a global middleware is given: any request's arguments. */
type AnyArgs = AnyMiddlewareArgs & AllMiddlewareArgs;
type ViewArgs = Parameters<ReturnType<typeof confirmApproval>>[0];
type HomeArgs = Parameters<ReturnType<typeof homeOpened>>[0];
type MessageArgs = Parameters<ReturnType<typeof threadReply>>[0];

/**
 * Every Slack entry point of infracrew, in one place, behind one router. Bolt runs every
 * listener's matching for every request, so each listener more costs every request (`npm run
 * bench`'s `slack` part: a bare Bolt app given the five listeners infracrew had besides its
 * command's took its ack p99 from ~78 to ~100 ms in a burst of 100). One global middleware
 * (after Bolt's own, which drops the bot's own events) hands each request to the handler of its
 * name and kind; anything else goes on to Bolt as before (no listener: Bolt's own answer).
 */
export function registerHandlers(app: App, deps: SlackDeps): void {
  const commands: Record<string, (args: CommandArgs) => Promise<void>> = {
    '/plan': planCommand(deps),
    '/approve': decideCommand(deps, 'approve'),
    '/reject': decideCommand(deps, 'reject'),
    '/rollback': rollbackCommand(deps),
    '/crew': crewCommand(deps),
  };
  const review = reviewAction(deps);
  const drift = driftAction(deps);
  const actions: Record<string, (args: ActionArgs) => Promise<void>> = {
    ...Object.fromEntries(Object.values(ACTIONS).map((id) => [id, review])),
    [SUGGEST_ACTION]: suggestAction(deps),
    ...Object.fromEntries(Object.values(DRIFT_ACTIONS).map((id) => [id, drift])),
  };
  const confirm = confirmApproval(deps);
  const home = homeOpened(deps);
  const reply = threadReply(deps);
  const route = (args: AnyArgs): Promise<void> | undefined => {
    if ('command' in args) return own(commands, args.command.command)?.(args as CommandArgs);
    if ('action' in args && args.body.type === 'block_actions' && 'action_id' in args.action)
      return own(actions, args.action.action_id)?.(args as ActionArgs);
    if ('view' in args && args.body.type === 'view_submission' && args.view.callback_id === CONFIRM_APPROVE)
      return confirm(args as ViewArgs);
    if ('event' in args && args.event.type === 'app_home_opened') return home(args as HomeArgs);
    if ('event' in args && args.event.type === 'message') return reply(args as MessageArgs);
    return undefined;
  };
  app.use(async (args) => {
    const handled = route(args);
    if (handled) await handled;
    else await args.next();
  });
}

/** The handler registered under `name` itself (never one inherited from Object.prototype). */
function own<T>(handlers: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(handlers, name) ? handlers[name] : undefined;
}
