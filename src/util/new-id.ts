import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short, readable plan id such as `p-7fk2q9xa`. */
export function newPlanId(): string {
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `p-${s}`;
}

/**
 * A deterministic artifact id: the same cause and type always give the same id, so a
 * re-run handler republishes the same artifact and consumers drop the duplicate.
 */
export function artifactId(planId: string, type: string, causationId: string | undefined, salt = ''): string {
  const h = createHash('sha256')
    .update(`${planId}|${type}|${causationId ?? ''}|${salt}`)
    .digest('hex');
  return `a-${h.slice(0, 24)}`;
}

export function randomArtifactId(): string {
  return `a-${randomBytes(12).toString('hex')}`;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
