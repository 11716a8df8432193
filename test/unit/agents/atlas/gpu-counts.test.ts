import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { gpusPerInstance } from '../../../../src/agents/atlas/gpus-per-instance.js';
import { makeCtx, specOf } from './atlas-fixtures.js';

const fresh = makeCtx(false);

type Sizes = { minSize: number; desiredCapacity: number; maxSize: number; instanceTypes: string[] };

function sizesOf(goal: string): [number, number, number, string[]] {
  const spec = specOf(goal);
  expect(spec.blueprint, goal).toBe('aws-spot-ollama');
  const p = spec.params as Sizes;
  return [p.minSize, p.desiredCapacity, p.maxSize, p.instanceTypes];
}

describe('a count of GPUs on an AWS goal', () => {
  it('is counted in instances of the type, one GPU each on the default type', () => {
    expect(sizesOf('private Ollama on 3 spot GPUs, budget $500/month, stack gp-1')).toEqual([0, 3, 3, ['g4dn.xlarge']]);
    expect(sizesOf('private Ollama on spot GPUs, 4 GPUs, stack gp-2')).toEqual([0, 4, 4, ['g4dn.xlarge']]);
    expect(sizesOf('private Ollama on 2 NVIDIA GPUs of type g5.xlarge, stack gp-3')).toEqual([0, 2, 2, ['g5.xlarge']]);
    expect(sizesOf('private Ollama on 2x GPU, stack gp-4')).toEqual([0, 2, 2, ['g4dn.xlarge']]);
  });

  it('is rounded up to whole instances of a multi-GPU type, and says so', () => {
    const spec = specOf('private Ollama with 8 GPUs on g5.12xlarge, stack gp-5');
    expect(spec.params).toMatchObject({ desiredCapacity: 2, maxSize: 2, instanceTypes: ['g5.12xlarge'] });
    expect(spec.rationale).toContain('Counted in instances of g5.12xlarge: 8 GPU(s) → 2 instance(s) of 4 GPU(s) each.');
    expect(sizesOf('private Ollama with 6 GPUs on p3.8xlarge, stack gp-6')).toEqual([0, 2, 2, ['p3.8xlarge']]);
    // Several types: the one with the fewest GPUs decides, so any Spot hands out holds them.
    expect(sizesOf('private Ollama on 4 GPUs, g5.12xlarge or g5.xlarge, stack gp-7').slice(0, 3)).toEqual([0, 4, 4]);
  });

  it('reads a range of GPUs as the group range', () => {
    expect(sizesOf('private Ollama on between 2 and 6 GPUs, spot g5.12xlarge, stack gp-8')).toEqual([
      1,
      1,
      2,
      ['g5.12xlarge'],
    ]);
    expect(sizesOf('private Ollama on 1-3 spot GPUs, stack gp-9').slice(0, 3)).toEqual([1, 1, 3]);
  });

  it('points the sizes it set at the GPUs asked', () => {
    const spec = specOf('private Ollama on 3 spot GPUs, stack gp-10');
    expect(spec.provenance?.['params.desiredCapacity']).toEqual({
      source: 'words',
      span: { start: 18, end: 29, text: '3 spot GPUs' },
    });
    expect(spec.provenance?.['params.minSize']).toEqual({ source: 'default' });
  });

  it('is refused on a type without GPUs, and when a count of instances said too holds fewer', () => {
    const cpu = parseGoal('private Ollama on 3 GPUs, t3.large, stack gp-11', fresh);
    expect(cpu.kind === 'invalid' && cpu.message).toBe(
      't3.large has no GPU Atlas knows of, so 3 GPU(s) cannot be counted in its instances: say how many instances, or name a GPU type (g4dn, g5, g6, p3…)',
    );
    const both = parseGoal('2 g4dn.xlarge with 3 GPUs, private Ollama, stack gp-12', fresh);
    expect(both.kind === 'invalid' && both.message).toBe(
      '2 instance(s) of g4dn.xlarge have 2 GPU(s), fewer than the 3 asked: say the instances or the GPUs, not both',
    );
    expect(sizesOf('2 g5.12xlarge with 8 GPUs, private Ollama, stack gp-13').slice(0, 3)).toEqual([0, 2, 2]);
  });

  it('scales a standing stack by its own type', () => {
    const current = specOf('private Ollama on 1 spot g5.12xlarge, stack gp-big');
    const ctx = makeCtx(false, { currentSpec: (s) => (s === 'gp-big' ? structuredClone(current) : undefined) });
    const scaled = specOf('scale gp-big to 8 GPUs', ctx);
    expect(scaled.params).toMatchObject({ desiredCapacity: 2, instanceTypes: ['g5.12xlarge'] });
  });

  it('leaves k3s GPU workers as they were, and asks about GPUs a k3s goal does not count', () => {
    expect(specOf('k3s cluster with 3 workers and 2 GPUs').params).toMatchObject({ workers: 3, gpuWorkers: 2 });
    const asked = parseGoal('k3s on proxmox, 3 servers and 2 gpu', fresh);
    expect(asked.kind === 'blocked' && asked.reason).toMatch(/^I could not read "and 2/);
  });
});

describe('GPUs per instance type', () => {
  it('knows the multi-GPU sizes and the one-GPU rest of each family; none for other types', () => {
    expect(
      ['g4dn.xlarge', 'g4dn.12xlarge', 'g5.48xlarge', 'g4ad.8xlarge', 'p3.16xlarge', 'p4d.24xlarge'].map(
        gpusPerInstance,
      ),
    ).toEqual([1, 4, 8, 2, 8, 8]);
    expect(['t3.large', 'inf2.xlarge', 'm5.large'].map(gpusPerInstance)).toEqual([undefined, undefined, undefined]);
  });
});
