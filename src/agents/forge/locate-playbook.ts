import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of playbooks/<dir>/<file>. Walks up from this file because the compiled
 * output lives one level deeper (dist/) than the sources.
 */
export function locatePlaybook(
  dir: string,
  file: string,
  from: string = dirname(fileURLToPath(import.meta.url)),
): string {
  let at = from;
  for (;;) {
    const candidate = join(at, 'playbooks', dir, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(at);
    if (parent === at) throw new Error(`playbooks/${dir}/${file} not found above ${from}`);
    at = parent;
  }
}
