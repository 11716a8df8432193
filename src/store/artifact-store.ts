import { CrewError } from '../errors.js';
import { sha256Hex } from '../util/new-id.js';

/** What an artifact is, for people reading the store (the bytes are addressed by sha256 alone). */
export type ArtifactKind = 'plan-file' | 'plan-json' | 'rendered-config' | 'baseline';

/** 50 MB: far above any plan we make, low enough that one bad artifact cannot fill the database. */
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;

/**
 * Plan files, plan JSON and the like, addressed by their sha256 and shared by every host: a
 * worker fetches the exact bytes it needs, whatever its data dir holds.
 */
export interface ArtifactStore {
  /** Stores the bytes and returns their sha256; storing the same bytes twice is harmless. */
  put(kind: ArtifactKind, planId: string, bytes: Buffer): Promise<string>;
  /**
   * The bytes with this sha256, or undefined when the store never had them (or they expired).
   * Throws CREW_ERR_ARTIFACT when the stored bytes do not hash to `sha256` (corrupt).
   */
  get(sha256: string): Promise<Buffer | undefined>;
}

/** Refuses bytes above the size cap, with what to do about it. */
export function checkArtifactSize(kind: ArtifactKind, planId: string, bytes: Buffer, max = MAX_ARTIFACT_BYTES): void {
  if (bytes.length > max)
    throw new CrewError(
      'CREW_ERR_ARTIFACT',
      `${kind} of plan ${planId} is ${bytes.length} bytes, above the artifact store's cap of ${max} bytes; nothing was stored`,
    );
}

/** The bytes as read, after checking they are the ones asked for. */
export function checkArtifactBytes(sha256: string, bytes: Buffer): Buffer {
  const actual = sha256Hex(bytes);
  if (actual !== sha256)
    throw new CrewError(
      'CREW_ERR_ARTIFACT',
      `artifact ${sha256.slice(0, 12)} is corrupt: its stored bytes hash to ${actual.slice(0, 12)}; refusing to use them`,
    );
  return bytes;
}
