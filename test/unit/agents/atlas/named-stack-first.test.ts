import { describe, expect, it } from 'vitest';
import { DEFAULT_ATLAS_DEFAULTS, parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';

// Names that other readers know as values: an instance family, a model, a day, a region.
const NAMES = ['p3', 'g5', 'inf2', 'trn1', 'mistral', 'llama3', 'gemma2', 'monday', 'eu-west-1'];
// A default region the names do not spell, so a name read as the region shows.
const ctx = makeCtx(false, { defaults: { ...DEFAULT_ATLAS_DEFAULTS, region: 'us-east-1' } });

describe('a stack the goal names', () => {
  it('is the stack, whatever else the word could be read as, and is read as nothing else', () => {
    for (const name of NAMES)
      for (const phrase of [`stack ${name}`, `stack named ${name}`, `workspace ${name}`, `stack name: ${name}`]) {
        const goal = `private Ollama on spot g4dn.xlarge, ${phrase}`;
        const out = parseGoal(goal, ctx);
        if (out.kind !== 'spec') throw new Error(`${goal}: ${out.kind}`);
        expect(out.spec.stack, goal).toBe(name);
        const params = out.spec.params as { instanceTypes?: string[]; model?: string; schedule?: unknown };
        expect(params.instanceTypes, goal).toEqual(['g4dn.xlarge']);
        expect(params.model, goal).toBeUndefined();
        expect(params.schedule, goal).toBeUndefined();
        expect(out.spec.region, goal).toBe('us-east-1');
      }
  });

  it('still reads the same words as values where no stack noun names them', () => {
    const out = parseGoal('private Ollama with mistral on spot p3 in eu-west-1, stack lab-1', ctx);
    if (out.kind !== 'spec') throw new Error(out.kind);
    expect(out.spec.stack).toBe('lab-1');
    expect(out.spec.region).toBe('eu-west-1');
    expect(out.spec.params).toMatchObject({ instanceTypes: ['p3.2xlarge'], model: 'mistral' });
  });
});
