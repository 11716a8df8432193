import { describe, expect, it } from 'vitest';
import { warmAtlas } from '../../../src/agents/atlas-agent.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../src/agents/atlas/default-atlas-defaults.js';

describe('warmAtlas (what crew worker and crew serve run at start)', () => {
  it('reads its sample goal twice, each time to a whole PlanSpec, so every step of a read is readied', async () => {
    expect((await warmAtlas(DEFAULT_ATLAS_DEFAULTS)).map((r) => r.kind)).toEqual(['spec', 'spec']);
  });
});
