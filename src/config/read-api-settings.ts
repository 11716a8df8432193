import { CrewError } from '../errors.js';
import { readNumber, type EnvSource } from './read-env-values.js';

/** One API caller: the identity it acts as and the sha256 of its bearer token (the token itself is never kept). */
export interface ApiToken {
  name: string;
  sha256: string;
}

/** The HTTP API: where it listens (off without a port) and whose tokens it accepts. */
export interface ApiSettings {
  port?: number;
  host: string;
  tokens: readonly ApiToken[];
  /** Requests per minute one identity may make (CREW_API_RATE_PER_MIN); 0: no limit. */
  ratePerMinute: number;
  /** Signs plan-page links (CREW_LINK_SECRET, from Vault or the environment); no links without it. */
  linkSecret?: string;
  /** Where people reach this API (CREW_PUBLIC_URL, e.g. https://crew.example.com), for links in Slack. */
  publicUrl?: string;
  /** How long a signed plan-page link works (CREW_LINK_TTL_HOURS, default 72). */
  linkTtlSec: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** CREW_API_TOKENS as `name:sha256hex,…`; a malformed or repeated entry stops start-up. */
export function readApiTokens(raw: string | undefined): ApiToken[] {
  const tokens: ApiToken[] = [];
  for (const pair of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', hash = '', ...rest] = pair.split(':').map((x) => x.trim());
    const sha256 = hash.toLowerCase();
    // Only the name is echoed: the hash is not secret, but it has no business in an error message.
    if (rest.length || !NAME.test(name) || !SHA256.test(sha256))
      throw new CrewError(
        'CREW_ERR_CONFIG',
        `CREW_API_TOKENS: the entry for "${name.slice(0, 64)}" is not name:sha256hex (64 hex digits of the token's sha256)`,
      );
    if (tokens.some((t) => t.sha256 === sha256))
      throw new CrewError('CREW_ERR_CONFIG', `CREW_API_TOKENS: ${name} reuses another entry's token`);
    tokens.push({ name, sha256 });
  }
  return tokens;
}

/** CREW_PUBLIC_URL: an http(s) URL with no query or fragment, kept without a trailing slash. */
function readPublicUrl(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      'CREW_PUBLIC_URL is not an http(s) URL without query, fragment or credentials',
    );
  return url.href.replace(/\/+$/, '');
}

function readLinkSecret(raw: string | undefined): string | undefined {
  const secret = raw?.trim();
  if (!secret) return undefined;
  // 32 characters at least: a short secret makes every link forgeable by guessing.
  if (secret.length < 32)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      'CREW_LINK_SECRET is shorter than 32 characters (use: openssl rand -hex 32)',
    );
  return secret;
}

export function readApiSettings(env: EnvSource, secrets: EnvSource = env): ApiSettings {
  const linkSecret = readLinkSecret(secrets.CREW_LINK_SECRET);
  const publicUrl = readPublicUrl(env.CREW_PUBLIC_URL);
  return {
    ...(linkSecret ? { linkSecret } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    linkTtlSec: readNumber(env, 'CREW_LINK_TTL_HOURS', 72, 1, 30 * 24) * 3600,
    ...(env.CREW_API_PORT ? { port: readNumber(env, 'CREW_API_PORT', 0, 0, 65535) } : {}),
    host: env.CREW_API_HOST || '127.0.0.1',
    tokens: readApiTokens(env.CREW_API_TOKENS),
    ratePerMinute: readNumber(env, 'CREW_API_RATE_PER_MIN', 120, 0, 1_000_000),
  };
}
