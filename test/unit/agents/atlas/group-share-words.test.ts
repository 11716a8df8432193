import { describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../../contracts/index.js';
import { makeCtx, refusalOf, specOf } from './atlas-fixtures.js';

// A group's size said as a multiple of the size it runs ("double x", "halve x") and its on-demand
// part said as a share ("half on-demand", "25% on-demand"). Both answered "Nothing to change".

const fresh = makeCtx(false);

/** Stacks `gp-two` (2 instances), `gp-three` (3) and `gp-four` (4), each applied. */
function standing() {
  const specs: Record<string, PlanSpec> = {
    'gp-two': specOf('private Ollama on 2 spot g4dn.xlarge, stack gp-two'),
    'gp-three': specOf('private Ollama on 3 spot g4dn.xlarge, stack gp-three'),
    'gp-four': specOf('private Ollama on 4 spot g4dn.xlarge, stack gp-four'),
    'k-two': specOf('k3s cluster with 3 servers and 2 workers, stack k-two'),
  };
  return makeCtx(false, { currentSpec: (s) => structuredClone(specs[s]) });
}

type Sizes = { minSize: number; desiredCapacity: number; maxSize: number; onDemandBase: number };
const params = (goal: string, ctx = standing()) => specOf(goal, ctx).params as Sizes;
const sizes = (goal: string) => {
  const p = params(goal);
  return [p.minSize, p.desiredCapacity, p.maxSize];
};
const refusal = (goal: string, ctx = standing()) => refusalOf(goal, ctx);

describe('a size said as a multiple of the size the group runs', () => {
  it('doubles, triples and halves it', () => {
    expect(sizes('double gp-two')).toEqual([0, 4, 4]);
    expect(sizes('double the size of gp-two')).toEqual([0, 4, 4]);
    expect(sizes('double the number of instances in gp-two')).toEqual([0, 4, 4]);
    expect(sizes('triple gp-two')).toEqual([0, 6, 6]);
    expect(sizes('halve gp-four')).toEqual([0, 2, 4]);
    expect(sizes('cut gp-four in half')).toEqual([0, 2, 4]);
    expect(specOf('double gp-two', standing()).rationale).toContain('Doubles the 2 instance(s) the group runs: 4.');
  });

  it('refuses a half that is not a whole number, a new stack, and a disk or budget read as the group', () => {
    expect(refusal('halve gp-three')).toBe(
      'the group runs 3 instance(s): half of them is not a whole number; say the size, e.g. "scale to 1"',
    );
    expect(refusal('private Ollama on g4dn.xlarge, double it, stack gp-new', fresh)).toBe(
      'stack gp-new is new: it runs no instances to double; say how many, e.g. "2 instances"',
    );
    // Not the group: the volume doubles, the size stays.
    const disk = params('double the disk on gp-two to 200 GB');
    expect(disk.desiredCapacity).toBe(2);
    expect(refusal('double gp-two and add 1 instance')).toBe(
      'the goal says both a size (double) and instances to add or remove: say one of them',
    );
  });
});

describe("a k3s cluster's workers said as a multiple", () => {
  it('multiplies its workers, and refuses a half that is not whole or a new cluster', () => {
    const k = (goal: string) => specOf(goal, standing()).params as { workers: number; servers: number };
    expect(k('double the workers of k-two')).toMatchObject({ servers: 3, workers: 4 });
    expect(k('halve k-two')).toMatchObject({ servers: 3, workers: 1 });
    expect(refusal('k3s cluster with 3 servers, double it, stack k-new', fresh)).toBe(
      'a new cluster has no workers to double: say how many, e.g. "2 workers"',
    );
  });
});

describe("the on-demand part said as a share of the group's instances", () => {
  it('reads half, a quarter and a percentage as an on-demand base', () => {
    expect(params('make gp-two half on-demand').onDemandBase).toBe(1);
    expect(params('gp-four: half spot, half on-demand').onDemandBase).toBe(2);
    expect(params('run 50% of gp-four on-demand').onDemandBase).toBe(2);
    expect(params('gp-four 25% on-demand').onDemandBase).toBe(1);
    expect(
      params('private Ollama on 4 spot g4dn.xlarge, half of them on-demand, stack gp-new', fresh).onDemandBase,
    ).toBe(2);
    expect(specOf('make gp-two half on-demand', standing()).rationale).toContain(
      'Read "half on-demand" as 1 of the 2 instance(s) on demand: an on-demand base of 1, which stays 1 if the group is scaled later.',
    );
    // The words as written, the stack's name between them too.
    expect(specOf('make half of gp-two on-demand', standing()).rationale).toContain(
      'Read "half of gp-two on-demand" as 1 of the 2 instance(s) on demand: an on-demand base of 1, which stays 1 if the group is scaled later.',
    );
  });

  it('takes the share of the size the goal sets, and refuses one that is not a whole number', () => {
    expect(params('scale gp-two to 6, half on-demand').onDemandBase).toBe(3);
    expect(refusal('make gp-three half on-demand')).toBe(
      'half of the 3 instance(s) is not a whole number: say how many run on demand, e.g. "1 on-demand"',
    );
    expect(refusal('make gp-four 30% on-demand')).toBe(
      '30% of the 4 instance(s) is not a whole number: say how many run on demand, e.g. "1 on-demand"',
    );
    expect(refusal('make gp-four 150% on-demand')).toBe(
      '150% on-demand is more than the group: say a share up to 100% or "all on-demand"',
    );
  });
});

describe('where the reading came from', () => {
  it('points the size and the on-demand base it set at the words', () => {
    const spec = specOf('double gp-two, half on-demand', standing());
    expect(spec.params).toMatchObject({ desiredCapacity: 4, onDemandBase: 2 });
    expect(spec.provenance?.['params.desiredCapacity']?.source).toBe('words');
    expect(spec.provenance?.['params.onDemandBase']?.source).toBe('words');
  });
});
