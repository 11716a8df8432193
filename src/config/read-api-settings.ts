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

export function readApiSettings(env: EnvSource): ApiSettings {
  return {
    ...(env.CREW_API_PORT ? { port: readNumber(env, 'CREW_API_PORT', 0, 0, 65535) } : {}),
    host: env.CREW_API_HOST || '127.0.0.1',
    tokens: readApiTokens(env.CREW_API_TOKENS),
    ratePerMinute: readNumber(env, 'CREW_API_RATE_PER_MIN', 120, 0, 1_000_000),
  };
}
