import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/read-api-settings.js';

/**
 * The identity a bearer token stands for, or undefined. Only the token's sha256 is compared
 * (in constant time, against every entry), so the configuration never holds a usable token.
 */
export function identifyCaller(authorization: string | undefined, tokens: readonly ApiToken[]): string | undefined {
  const m = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const digest = createHash('sha256').update(m[1]!).digest();
  let found: string | undefined;
  for (const t of tokens) if (timingSafeEqual(digest, Buffer.from(t.sha256, 'hex'))) found ??= t.name;
  return found;
}
