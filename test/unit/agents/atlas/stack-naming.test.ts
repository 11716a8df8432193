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

describe('a goal that names no stack', () => {
  const standing = makeCtx(true); // ollama-dev and k3s-lab stand, among others

  it('never changes the standing stack of the default name: it asks which stack', () => {
    for (const goal of [
      'private Ollama on spot g4dn.xlarge',
      'private Ollama on spot g4dn.xlarge for the research stack',
      'k3s cluster with 3 nodes',
    ]) {
      const out = parseGoal(goal, standing);
      expect(out.kind, goal).toBe('blocked');
      if (out.kind === 'blocked')
        expect(out.reason, goal).toMatch(/names no stack, and \S+, the default name, is a stack/);
    }
  });

  it('still plans a new stack by the default name where none stands, and changes a stack it names', () => {
    const fresh = parseGoal('private Ollama on spot g4dn.xlarge', makeCtx(false));
    expect(fresh).toMatchObject({ kind: 'spec', spec: { stack: 'ollama-dev' } });
    const change = parseGoal('switch ollama-dev to g5.xlarge', standing);
    expect(change).toMatchObject({ kind: 'spec', spec: { stack: 'ollama-dev' } });
    const named = parseGoal('private Ollama on spot g4dn.xlarge, stack research', standing);
    expect(named).toMatchObject({ kind: 'spec', spec: { stack: 'research' } });
  });
});

describe('the end of a stack name', () => {
  it('is a bracket the name did not open; a name with one of its own is refused whole', () => {
    for (const goal of [
      'private Ollama on spot g4dn.xlarge (stack: research)',
      'private Ollama on spot g4dn.xlarge [stack research]',
      'private Ollama on spot g4dn.xlarge (in stack research).',
    ])
      expect(parseGoal(goal, ctx), goal).toMatchObject({ kind: 'spec', spec: { stack: 'research' } });
    expect(parseGoal('private Ollama on spot g4dn.xlarge, stack p-$(id)', ctx)).toMatchObject({ kind: 'invalid' });
  });
});

describe('"scale" in a new stack\'s request', () => {
  it('gives the group its size, and does not make the request a change to an unknown stack', () => {
    for (const [ask, size] of [
      ['scale between 1 and 3', [1, 1, 3]],
      ['scaling from 0 to 4', [0, 1, 4]],
      ['scale 0-4', [0, 1, 4]],
    ] as const) {
      const out = parseGoal(`private Ollama on spot g5.2xlarge, stack b-1, ${ask}`, ctx);
      if (out.kind !== 'spec') throw new Error(`${ask}: ${out.kind}`);
      const p = out.spec.params as { minSize: number; desiredCapacity: number; maxSize: number };
      expect([p.minSize, p.desiredCapacity, p.maxSize], ask).toEqual(size);
    }
    // A size it cannot read is asked about, not refused as a change to a stack that does not exist.
    const unread = parseGoal('private Ollama on spot g5.2xlarge, stack b-1, scale 3 to 5 workers', ctx);
    expect(unread.kind === 'blocked' && unread.reason).toMatch(/^I could not read "scale 3"/);
    // Scaling a named stack that does not stand is still refused as such.
    const change = parseGoal('scale b-1 to 3', ctx);
    expect(change.kind === 'blocked' && change.reason).toMatch(/^Stack b-1 is unknown/);
  });
});
