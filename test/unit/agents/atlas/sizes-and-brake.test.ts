import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';

const fresh = makeCtx(false);
const withStacks = makeCtx(true);

type Sizes = { minSize: number; desiredCapacity: number; maxSize: number; instanceTypes: string[] };

function sizesOf(goal: string): [number, number, number, string[]] {
  const out = parseGoal(goal, fresh);
  if (out.kind !== 'spec') throw new Error(`${goal}: ${out.kind} ${JSON.stringify(out).slice(0, 200)}`);
  expect(out.spec.blueprint, goal).toBe('aws-spot-ollama');
  const p = out.spec.params as Sizes;
  return [p.minSize, p.desiredCapacity, p.maxSize, p.instanceTypes];
}

describe('a count or range before "spot" and the instance type', () => {
  it('is the group size, and "spot" still says what the group is', () => {
    expect(sizesOf('private Ollama on 2 spot g5.2xlarge, stack sz-1')).toEqual([0, 2, 2, ['g5.2xlarge']]);
    expect(sizesOf('private Ollama on 1-3 spot g5.xlarge, stack sz-2')).toEqual([1, 1, 3, ['g5.xlarge']]);
    expect(sizesOf('private Ollama on between 2 and 4 spot g4dn.xlarge, stack sz-3')).toEqual([
      2,
      2,
      4,
      ['g4dn.xlarge'],
    ]);
    // Without "spot", as before.
    expect(sizesOf('private Ollama on 3x g5.xlarge spot, stack sz-4')).toEqual([0, 3, 3, ['g5.xlarge']]);
  });
});

describe('"scale" or "autoscale" with a range', () => {
  it('is the range of a new group', () => {
    for (const [ask, size] of [
      ['scale 0-4', [0, 1, 4]],
      ['autoscale 0-4', [0, 1, 4]],
      ['auto-scale 1–3', [1, 1, 3]],
      ['scale 2 to 4', [2, 2, 4]],
      ['autoscaling 1 to 5', [1, 1, 5]],
    ] as const)
      expect(sizesOf(`private Ollama on spot g4dn.xlarge, stack sc-1, ${ask}`).slice(0, 3), ask).toEqual(size);
  });

  it('is asked about when it counts k3s roles, and refused when its ends are swapped', () => {
    const roles = parseGoal('private Ollama on spot g4dn.xlarge, stack sc-2, scale 3 to 5 workers', fresh);
    expect(roles.kind === 'blocked' && roles.reason).toMatch(/^I could not read "scale 3/);
    const swapped = parseGoal('private Ollama on spot g4dn.xlarge, stack sc-3, scale 4-1', fresh);
    expect(swapped).toMatchObject({ kind: 'invalid' });
    expect(swapped.kind === 'invalid' && swapped.message).toMatch(/minSize 4 is greater than maxSize 1/);
  });
});

describe('the budget brake in a goal', () => {
  it('is read as a share of the budget, said as a percentage or a ratio', () => {
    for (const [ask, ratio] of [
      ['budget $300/month, brake at 90%', 0.9],
      ['$300/month with a 75 % budget brake', 0.75],
      ['budget $300/month, budget brake: 85 percent of the budget', 0.85],
      ['budget $300/month, brake ratio 0.7', 0.7],
      ['budget $300/month, brake at 100%', 1],
      ['budget $300/month', 0.8],
    ] as const) {
      const out = parseGoal(`private Ollama on spot g4dn.xlarge, stack br-1, ${ask}`, fresh);
      if (out.kind !== 'spec') throw new Error(`${ask}: ${out.kind}`);
      expect(out.spec.budget, ask).toEqual({ monthlyUsd: 300, brakeRatio: ratio });
    }
  });

  it('says where it was read, and that it waits for a budget when none is given', () => {
    const out = parseGoal('private Ollama on spot g4dn.xlarge, stack br-2, budget $300/month, brake at 90%', fresh);
    if (out.kind !== 'spec') throw new Error(out.kind);
    expect(out.spec.provenance?.['budget.brakeRatio']).toMatchObject({
      source: 'words',
      span: { text: 'brake at 90%' },
    });
    expect(out.spec.rationale.join('\n')).toContain('the budget brake trips at 90 % of it (from the goal)');
    const none = parseGoal('private Ollama on spot g4dn.xlarge, stack br-3, brake at 90%', fresh);
    if (none.kind !== 'spec') throw new Error(none.kind);
    expect(none.spec.budget).toEqual({ monthlyUsd: null, brakeRatio: 0.9 });
    expect(none.spec.rationale.join('\n')).toContain('the brake at 90 % applies once a budget is set');
  });

  it('is refused when it is no share of the budget', () => {
    for (const ask of ['brake at 150%', 'brake at 0%', 'brake ratio 1.5', 'brake ratio 0'] as const) {
      const out = parseGoal(`private Ollama on spot g4dn.xlarge, stack br-4, budget $300/month, ${ask}`, fresh);
      expect(out.kind, ask).toBe('invalid');
      expect(out.kind === 'invalid' && out.message, ask).toMatch(/is not a usable budget brake: give a share/);
    }
  });

  it("changes a standing stack's brake, and is nothing to change when it is the brake it has", () => {
    const changed = parseGoal('set the budget brake on ollama-dev at 90%', withStacks);
    if (changed.kind !== 'spec') throw new Error(`${changed.kind} ${JSON.stringify(changed).slice(0, 200)}`);
    expect(changed.spec.stack).toBe('ollama-dev');
    expect(changed.spec.budget).toEqual({ monthlyUsd: 300, brakeRatio: 0.9 });
    const same = parseGoal('set the budget brake on ollama-dev at 80%', withStacks);
    expect(same.kind === 'blocked' && same.reason).toMatch(/^Nothing to change/);
  });
});
