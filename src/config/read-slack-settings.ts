import { CrewError } from '../errors.js';
import { deepFreeze } from './deep-freeze.js';
import { readList, type EnvSource } from './read-env-values.js';

/** Slack settings as read: the tokens may be absent (only `crew serve` needs them). */
export interface SlackSettings {
  botToken?: string;
  /** Socket Mode (outbound only) when set; it wins over the signing secret. */
  appToken?: string;
  /** HTTP mode with signature verification when set and there is no app token. */
  signingSecret?: string;
  mode: 'socket' | 'http';
  httpPort: number;
  httpHost?: string;
  /** Web API base URL, e.g. a local stand-in; Bolt's default otherwise. */
  apiUrl?: string;
  /** Channel id of the review channel; threads are not posted without it. */
  reviewChannel?: string;
  /** User ids (U…/W…) and user group ids (S…) allowed to approve; empty: anyone but the requester. */
  approvers: string[];
  /** When non-empty, only these user ids may /plan. */
  requesters: string[];
  /** When non-empty, commands are only taken in these channel ids. */
  allowedChannels: string[];
  /** Web API retries; undefined keeps the client's default (about 30 minutes of retries). */
  apiRetries?: number;
}

/** What the Slack surface runs with: a bot token and one way in. */
export interface SlackConfig extends SlackSettings {
  botToken: string;
}

export const SETUP_HINT = [
  'crew serve needs a Slack app. To create one in a few minutes:',
  '  1. https://api.slack.com/apps → Create New App → From a manifest → paste manifests/slack-app.yaml',
  '  2. Install it to your workspace; copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN',
  '  3. Basic Information → App-Level Tokens → generate one with connections:write (xapp-…) into SLACK_APP_TOKEN',
  '     (or, for HTTP mode instead of Socket Mode, set SLACK_SIGNING_SECRET and CREW_HTTP_PORT)',
  '  4. Set CREW_REVIEW_CHANNEL to the review channel id and /invite the bot there',
  'See docs/slack.md for the details.',
].join('\n');

function port(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CrewError('CREW_ERR_CONFIG', `CREW_HTTP_PORT=${raw} is not a port number`);
  return n;
}

/**
 * Slack settings from the environment; the tokens from `secrets` (Vault, else the environment).
 * Malformed values throw; missing tokens do not (see requireSlackConfig).
 */
export function readSlackSettings(env: EnvSource, secrets: EnvSource = env): SlackSettings {
  const botToken = secrets.SLACK_BOT_TOKEN?.trim() || undefined;
  const appToken = secrets.SLACK_APP_TOKEN?.trim() || undefined;
  const signingSecret = secrets.SLACK_SIGNING_SECRET?.trim() || undefined;
  if (appToken && !appToken.startsWith('xapp-'))
    throw new CrewError('CREW_ERR_CONFIG', 'SLACK_APP_TOKEN must be an app-level token (xapp-…)');
  const retriesRaw = env.CREW_SLACK_API_RETRIES;
  const apiRetries = retriesRaw === undefined || retriesRaw === '' ? undefined : Number(retriesRaw);
  if (apiRetries !== undefined && (!Number.isInteger(apiRetries) || apiRetries < 0 || apiRetries > 100)) {
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `CREW_SLACK_API_RETRIES=${retriesRaw} is not a whole number between 0 and 100`,
    );
  }
  return {
    ...(botToken ? { botToken } : {}),
    ...(appToken ? { appToken } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    mode: appToken ? 'socket' : 'http',
    httpPort: port(env.CREW_HTTP_PORT),
    ...(env.CREW_HTTP_HOST ? { httpHost: env.CREW_HTTP_HOST } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    ...(env.CREW_REVIEW_CHANNEL ? { reviewChannel: env.CREW_REVIEW_CHANNEL.trim() } : {}),
    approvers: readList(env.CREW_APPROVERS),
    requesters: readList(env.CREW_REQUESTERS),
    allowedChannels: readList(env.CREW_ALLOWED_CHANNELS),
    ...(apiRetries !== undefined ? { apiRetries } : {}),
  };
}

/** The settings `crew serve` can run with; throws with setup steps when a token is missing. */
export function requireSlackConfig(settings: Readonly<SlackSettings>): Readonly<SlackConfig> {
  const { botToken, appToken, signingSecret } = settings;
  if (!botToken || (!appToken && !signingSecret)) {
    const missing = [
      !botToken ? 'SLACK_BOT_TOKEN' : '',
      !appToken && !signingSecret ? 'SLACK_APP_TOKEN (or SLACK_SIGNING_SECRET)' : '',
    ].filter(Boolean);
    throw new CrewError('CREW_ERR_CONFIG', `missing ${missing.join(' and ')}\n\n${SETUP_HINT}`);
  }
  return { ...settings, botToken };
}

/** Slack settings read once from `env` and frozen; throws with setup steps when tokens are missing. */
export function readSlackConfig(env: EnvSource = process.env): Readonly<SlackConfig> {
  return deepFreeze(requireSlackConfig(readSlackSettings(env)));
}
