import { App } from '@slack/bolt';
import { registerHandlers } from '../../handlers/register-handlers.js';
import type { Logger } from '../log/create-logger.js';
import { toBoltLogger } from './bolt-logger.js';
import type { SlackConfig } from './read-slack-config.js';
import type { SlackDeps } from './slack-deps.js';

export type SlackApp = App;

/** The web client settings Bolt, Socket Mode and our own calls share. */
export function clientOptions(config: Pick<SlackConfig, 'apiUrl' | 'apiRetries'>): Record<string, unknown> {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(config.apiRetries !== undefined ? { retryConfig: { retries: config.apiRetries }, rejectRateLimitedCalls: config.apiRetries === 0 } : {}),
  };
}

/**
 * A Bolt app in Socket Mode (app token) or HTTP mode (signing secret, signatures checked by
 * Bolt's HTTPReceiver), with every handler registered. Call `await app.init()` before start:
 * that is where the bot token is checked (auth.test).
 */
export function createSlackApp(config: Readonly<SlackConfig>, deps: SlackDeps, logger: Logger): SlackApp {
  const app = new App({
    token: config.botToken,
    ...(config.mode === 'socket' ? { socketMode: true, appToken: config.appToken } : { signingSecret: config.signingSecret ?? '' }),
    ...(config.mode === 'http' ? { port: config.httpPort } : {}),
    clientOptions: clientOptions(config),
    logger: toBoltLogger(logger),
    convoStore: false,
    deferInitialization: true,
  });
  registerHandlers(app, deps);
  app.error(async (err) => {
    logger.error({ code: (err as { code?: string }).code, err: err.message }, 'slack handler failed');
  });
  return app;
}
