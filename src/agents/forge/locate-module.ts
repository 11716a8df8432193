import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ModuleName = 'aws-spot-ollama' | 'proxmox-k3s';

/**
 * Absolute path of terraform/modules/<name>. Walks up from this file because the compiled
 * output lives one level deeper (dist/) than the sources.
 */
export function locateModule(name: ModuleName, from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'terraform', 'modules', name);
    if (existsSync(join(candidate, 'versions.tf'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`terraform/modules/${name} not found above ${from}`);
    dir = parent;
  }
}
