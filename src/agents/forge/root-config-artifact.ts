import { CrewError } from '../../errors.js';
import type { ArtifactStore } from '../../store/artifact-store.js';

/** A stack's rendered root config: file name → text (`main.tf.json`, `backend.tf.json`…). */
export type RootConfig = Record<string, string>;

const FILE_NAME = /^[A-Za-z0-9_.-]{1,100}\.tf(\.json)?$/;

/** The bytes stored for a root config: the files by name, in name order, so equal configs hash alike. */
export function encodeRootConfig(files: RootConfig): Buffer {
  const sorted = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((name) => [name, files[name]]),
  );
  return Buffer.from(JSON.stringify({ files: sorted }));
}

/** The files of stored bytes, refused unless they are a root config (names of .tf/.tf.json files, texts). */
export function decodeRootConfig(bytes: Buffer, sha256: string): RootConfig {
  const bad = (why: string) =>
    new CrewError('CREW_ERR_ARTIFACT', `rendered root config ${sha256.slice(0, 12)} is not usable: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad('it is not JSON');
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw bad('it holds no files');
  const out: RootConfig = {};
  for (const [name, text] of Object.entries(files)) {
    if (!FILE_NAME.test(name)) throw bad(`"${name.slice(0, 100)}" is not a Terraform file name`);
    if (typeof text !== 'string') throw bad(`${name} is not text`);
    out[name] = text;
  }
  if (Object.keys(out).length === 0) throw bad('it holds no files');
  return out;
}

/**
 * The root config a plan file was made from, fetched from the artifact store by sha256 and
 * checked: what a Forge on any host writes into its workspace before applying, instead of
 * rendering it again. A missing, corrupt or malformed one is refused with the reason.
 */
export async function fetchRootConfig(
  artifacts: ArtifactStore,
  sha256: string,
): Promise<{ ok: true; files: RootConfig } | { ok: false; reason: string }> {
  try {
    const bytes = await artifacts.get(sha256);
    if (!bytes)
      return {
        ok: false,
        reason: `the rendered root config of this plan (sha256 ${sha256.slice(0, 12)}) is not in the artifact store`,
      };
    return { ok: true, files: decodeRootConfig(bytes, sha256) };
  } catch (err) {
    if (err instanceof CrewError && err.code === 'CREW_ERR_ARTIFACT') return { ok: false, reason: err.message };
    throw err;
  }
}
