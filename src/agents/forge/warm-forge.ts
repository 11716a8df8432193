import { tmpdir } from 'node:os';
import type { PlanSpec } from '../../../contracts/index.js';
import { renderTargetConfig } from './prepare-terraform-target.js';
import { StackWorkspace } from './stack-workspace.js';

/**
 * Renders a spec (Atlas's sample goal's) for its target twice, in memory (nothing is written),
 * so a long-running process's first plan does not compile the renderers on the way. Returns the
 * rendered file names (not used); best effort, so never throws (an error gives []).
 */
export function warmForge(spec: PlanSpec): string[] {
  try {
    const ws = new StackWorkspace(tmpdir(), spec.stack);
    let files: string[] = [];
    for (let i = 0; i < 2; i++) files = Object.keys(renderTargetConfig(spec, ws, undefined));
    return files;
  } catch {
    return [];
  }
}
