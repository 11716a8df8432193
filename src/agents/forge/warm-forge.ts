import { tmpdir } from 'node:os';
import type { AtlasDefaults } from '../atlas/atlas-types.js';
import { SAMPLE_GOAL } from '../atlas-agent.js';
import { renderTargetConfig } from './prepare-terraform-target.js';
import { StackWorkspace } from './stack-workspace.js';

/**
 * Renders the sample goal's spec for the crew's target twice, in memory (nothing is written), so
 * a long-running process's first plan does not compile the renderers on the way. Resolves with
 * the rendered file names (not used); best effort, so never rejects (an error gives []).
 */
export async function warmForge(defaults: AtlasDefaults): Promise<string[]> {
  try {
    const { parseGoal } = await import('../atlas/parse-goal.js');
    const read = parseGoal(SAMPLE_GOAL, { defaults });
    if (read.kind !== 'spec') return [];
    const ws = new StackWorkspace(tmpdir(), read.spec.stack);
    let files: string[] = [];
    for (let i = 0; i < 2; i++) files = Object.keys(renderTargetConfig(read.spec, ws, undefined));
    return files;
  } catch {
    return [];
  }
}
