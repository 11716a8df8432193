import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../log/create-logger.js';
import { toBoltLogger } from './bolt-logger.js';
import type { SlackConfig } from '../config/read-slack-settings.js';
import { refuseFutureTimestamps } from './refuse-future-timestamps.js';
import type { SlackDeps } from './slack-deps.js';

/** Wires the slash commands, actions and events onto the app (handlers/register-handlers.ts). */
export type RegisterHandlers = (app: App, deps: SlackDeps) => void;

export type SlackApp = App;

/** The web client settings Bolt, Socket Mode and our own calls share. */
export function clientOptions(config: Pick<SlackConfig, 'apiUrl' | 'apiRetries'>): Record<string, unknown> {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(config.apiRetries !== undefined
      ? { retryConfig: { retries: config.apiRetries }, rejectRateLimitedCalls: config.apiRetries === 0 }
      : {}),
  };
}

/**
 * The review threads' own client: a rate limit on them pauses only this client's queue (the
 * WebClient waits out Retry-After), never the answers people wait for; a few retries, since the
 * reply outbox keeps what is not posted and retries it with backoff.
 */
export function threadClientOptions(config: Pick<SlackConfig, 'apiUrl' | 'apiRetries'>): Record<string, unknown> {
  return { retryConfig: { retries: 3, factor: 2 }, ...clientOptions(config) };
}

/**
 * A Bolt app in Socket Mode (app token) or HTTP mode (signing secret, signatures checked by
 * Bolt's HTTPReceiver), with the handlers `register` wires. Call `await app.init()` before start:
 * that is where the bot token is checked (auth.test).
 */
export function createSlackApp(
  config: Readonly<SlackConfig>,
  deps: SlackDeps,
  logger: Logger,
  register: RegisterHandlers,
): SlackApp {
  const receiver =
    config.mode === 'socket'
      ? undefined
      : new HTTPReceiver({
          signingSecret: config.signingSecret ?? '',
          port: config.httpPort,
          logger: toBoltLogger(logger),
          // A payload Bolt cannot even route (e.g. a click without a user) is the sender's
          // mistake: answer 400 rather than a 500 that invites Slack to retry.
          processEventErrorHandler: async ({ error, response, logger: log }) => {
            log.warn(`request refused: ${error.message}`);
            if (!response.headersSent) {
              response.writeHead(400, { 'Content-Type': 'text/plain' });
              response.end('malformed Slack payload\n');
            }
            return true;
          },
        });
  if (receiver) refuseFutureTimestamps(receiver, deps.now ?? (() => new Date()), logger);
  const app = new App({
    token: config.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken }),
    clientOptions: clientOptions(config),
    logger: toBoltLogger(logger),
    convoStore: false,
    deferInitialization: true,
  });
  register(app, deps);
  app.error(async (err) => {
    logger.error({ code: (err as { code?: string }).code, err: err.message }, 'slack handler failed');
  });
  return app;
}
