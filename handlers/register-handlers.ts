import type { App } from '@slack/bolt';
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

/** Every Slack entry point of infracrew, in one place. */
export function registerHandlers(app: App, deps: SlackDeps): void {
  app.command('/plan', planCommand(deps));
  app.command('/approve', decideCommand(deps, 'approve'));
  app.command('/reject', decideCommand(deps, 'reject'));
  app.command('/rollback', rollbackCommand(deps));
  app.command('/crew', crewCommand(deps));
  const review = reviewAction(deps);
  for (const id of Object.values(ACTIONS)) app.action({ type: 'block_actions', action_id: id }, review);
  app.action({ type: 'block_actions', action_id: SUGGEST_ACTION }, suggestAction(deps));
  const drift = driftAction(deps);
  for (const id of Object.values(DRIFT_ACTIONS)) app.action({ type: 'block_actions', action_id: id }, drift);
  app.view({ type: 'view_submission', callback_id: CONFIRM_APPROVE }, confirmApproval(deps));
  app.event('app_home_opened', homeOpened(deps));
  app.event('message', threadReply(deps));
}
