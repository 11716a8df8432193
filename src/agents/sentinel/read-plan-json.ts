import { readFile } from 'node:fs/promises';
import { CrewError } from '../../errors.js';
import type { FileRef } from '../../plan/plan-record.js';
import type { ArtifactStore } from '../../store/artifact-store.js';
import { sha256Hex } from '../../util/new-id.js';

/**
 * The plan JSON Forge made, as bytes checked against its sha256: from the artifact store (any
 * host), else from the path when this host is the one that planned. Corrupt stored bytes are
 * an error that fails the plan, never a verdict on other bytes.
 */
export async function readPlanJson(artifacts: ArtifactStore, ref: FileRef): Promise<Buffer> {
  const stored = await artifacts.get(ref.sha256);
  if (stored) return stored;
  const local = await readFile(ref.path).catch(() => undefined);
  if (!local)
    throw new CrewError(
      'CREW_ERR_ARTIFACT',
      `plan JSON ${ref.sha256.slice(0, 12)} is neither in the artifact store nor at ${ref.path} on this host`,
    );
  if (sha256Hex(local) !== ref.sha256)
    throw new CrewError('CREW_ERR_ARTIFACT', `plan JSON ${ref.path} does not match its sha256`);
  return local;
}
