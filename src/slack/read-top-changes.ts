import { readFile } from 'node:fs/promises';
import type { FileRef } from '../plan/plan-record.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { ResourceChange } from './render/render-review.js';

// Destroys and replacements first: they are what a reviewer must not miss.
const ORDER = ['delete', 'create-delete', 'delete-create', 'update', 'create'];

function rank(actions: string[]): number {
  const i = ORDER.indexOf(actions.join('-'));
  return i < 0 ? ORDER.length : i;
}

/**
 * The resource changes of a saved plan's JSON (`terraform show -json`), no-ops and reads left
 * out: from the artifact store by sha256 (Forge may have run on another machine), else the path.
 */
export async function readTopChanges(
  planJson: FileRef | undefined,
  artifacts?: ArtifactStore,
): Promise<ResourceChange[]> {
  if (!planJson) return [];
  let doc: unknown;
  try {
    const bytes = (await artifacts?.get(planJson.sha256)) ?? (await readFile(planJson.path));
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Missing or corrupt everywhere: the counts in the record still show what changes.
    return [];
  }
  const rows = (doc as { resource_changes?: unknown }).resource_changes;
  if (!Array.isArray(rows)) return [];
  const out: ResourceChange[] = [];
  for (const r of rows as Array<{ address?: unknown; change?: { actions?: unknown } }>) {
    const actions = Array.isArray(r.change?.actions)
      ? r.change.actions.filter((a): a is string => typeof a === 'string')
      : [];
    if (typeof r.address !== 'string' || actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read'))
      continue;
    out.push({ address: r.address, actions });
  }
  return out.sort((a, b) => rank(a.actions) - rank(b.actions));
}
