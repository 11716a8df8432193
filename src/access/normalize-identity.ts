// One spelling per person on every surface: `alice`, ` alice ` and `ＡＬＩＣＥ` are the same
// identity, so four-eyes cannot be side-stepped by respelling a name.

import { refuse, type Refusal } from '../errors.js';

export type IdentityResult = { ok: true; id: string } | Refusal<'bad-input'>;

// Control characters, zero-width and bidirectional marks: invisible, so never part of a name.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const MAX_LENGTH = 128;

/** The identity as shown (trimmed, Unicode NFKC), or a refusal for an empty or unreadable one. */
export function normalizeIdentity(raw: string | undefined, what = 'identity'): IdentityResult {
  const id = (raw ?? '').normalize('NFKC').trim();
  if (id === '') return refuse('bad-input', `the ${what} is empty: name a person`);
  if (INVISIBLE.test(id)) return refuse('bad-input', `the ${what} contains control or invisible characters`);
  if (/\s/u.test(id))
    return refuse(
      'bad-input',
      `the ${what} "${id.slice(0, 40)}" contains spaces; identities are single words such as alice or U0123ABCD`,
    );
  if (id.length > MAX_LENGTH) return refuse('bad-input', `the ${what} is longer than ${MAX_LENGTH} characters`);
  return { ok: true, id };
}

/** The comparison key: NFKC, trimmed, case-folded. */
export function identityKey(id: string): string {
  return id.normalize('NFKC').trim().toLowerCase();
}

export function sameIdentity(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return identityKey(a) === identityKey(b);
}

export function includesIdentity(list: readonly string[], id: string): boolean {
  const key = identityKey(id);
  return list.some((entry) => identityKey(entry) === key);
}
