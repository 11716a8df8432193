import { describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, refusalOf, specOf } from './atlas-fixtures.js';

// The size of an Ollama group said other than as a count of instances: its workers, a number added
// or removed, a change from one size to another. Read as a size, "add an instance" to a group of 2
// scaled it to 1, and "2 more instances" or "3 workers" changed nothing ("Nothing to change").

const fresh = makeCtx(false);

/** A context whose stack `gp-two` is an applied group of 2 (max 2) and `k-two` a k3s cluster of 2 workers. */
function standing() {
  const group = specOf('private Ollama on 2 spot g4dn.xlarge, stack gp-two');
  const cluster = specOf('k3s cluster with 3 servers and 2 workers, stack k-two');
  const specs: Record<string, PlanSpec> = { 'gp-two': group, 'k-two': cluster };
  return makeCtx(false, { currentSpec: (s) => structuredClone(specs[s]) });
}

type Sizes = { minSize: number; desiredCapacity: number; maxSize: number };
const sizes = (goal: string, ctx = standing()) => {
  const p = specOf(goal, ctx).params as Sizes;
  return [p.minSize, p.desiredCapacity, p.maxSize];
};
const refusal = (goal: string, ctx = standing()) => refusalOf(goal, ctx);

describe("an Ollama group's size in other words", () => {
  it('adds to and removes from the size the group runs', () => {
    expect(sizes('add an instance to gp-two')).toEqual([0, 3, 3]);
    expect(sizes('gp-two needs 2 more instances')).toEqual([0, 4, 4]);
    expect(sizes('add 2 more nodes to gp-two')).toEqual([0, 4, 4]);
    expect(sizes('one more spot instance for gp-two')).toEqual([0, 3, 3]);
    expect(sizes('remove one instance from gp-two')).toEqual([0, 1, 2]);
    expect(sizes('gp-two can do with 1 fewer node')).toEqual([0, 1, 2]);
    expect(specOf('add an instance to gp-two', standing()).rationale).toContain(
      'Adds 1 instance(s) to the 2 the group runs.',
    );
    expect(refusal('remove 3 instances from gp-two')).toBe(
      'the group runs 2 instance(s): it cannot lose 3; say "scale to zero" to stop them all',
    );
  });

  it('scales up or down by a number, from the size it runs', () => {
    // Read as a size, "increase gp-two by 1 instance" scaled the group of 2 down to 1.
    expect(sizes('increase gp-two by 1 instance')).toEqual([0, 3, 3]);
    expect(sizes('scale gp-two up by 2')).toEqual([0, 4, 4]);
    expect(sizes('scale gp-two down by one instance')).toEqual([0, 1, 2]);
    expect(sizes('shrink gp-two by 1')).toEqual([0, 1, 2]);
    expect(specOf('scale k-two out by 2 workers', standing()).params).toMatchObject({ workers: 4 });
  });

  it('asks about the words it could not read when nothing else changes, not "Nothing to change"', () => {
    const out = parseGoal('reduce gp-two by 50%', standing());
    expect(out.kind === 'blocked' && out.reason).toBe(
      'I could not read "by 50%": say the count with what it counts, e.g. "3 workers", "between 1 and 4 instances"?',
    );
    const same = parseGoal('scale gp-two to 2', standing());
    expect(same.kind === 'blocked' && same.reason).toBe(
      'Nothing to change: stack gp-two already has what the goal asks for.',
    );
  });

  it('reads "stop x" alone as scale to zero, and "stop x on weekends" as the schedule it is', () => {
    expect(sizes('stop gp-two')).toEqual([0, 0, 2]);
    expect(sizes('please shut down gp-two for now')).toEqual([0, 0, 2]);
    expect(sizes('turn off the gp-two stack')).toEqual([0, 0, 2]);
    const weekends = specOf('stop gp-two on weekends', standing());
    expect((weekends.params as Sizes).desiredCapacity).toBe(2);
    expect(weekends.params).toHaveProperty('schedule.stop');
  });

  it('refuses "stop" of a stack that has no instances to stop, saying what it is', () => {
    expect(refusal('stop k-two')).toBe(
      'stack k-two is a k3s cluster: it has no instances a plan stops; to remove it, roll back the plan that created it',
    );
    const sched = specOf('put a weekend schedule on asg render-farm, stack rf-sched');
    const ctx = makeCtx(false, { currentSpec: (s) => (s === 'rf-sched' ? structuredClone(sched) : undefined) });
    expect(refusal('stop rf-sched', ctx)).toContain('stack rf-sched is a schedule for another group');
  });

  it('reads a maximum or minimum set "to" a number, and "scale x up to 6" as its size', () => {
    expect(sizes('set gp-two max to 6')).toEqual([0, 2, 6]);
    expect(sizes('set the max size of gp-two to 5')).toEqual([0, 2, 5]);
    expect(sizes('set gp-two min to 1')).toEqual([1, 2, 2]);
    expect(sizes('scale gp-two up to 6')).toEqual([0, 6, 6]);
    // Without the verb, "up to" is still the group's maximum.
    expect(sizes('private Ollama on g4dn.xlarge, up to 4 instances, stack gp-upto', fresh)).toEqual([0, 1, 4]);
  });

  it('reads a disk size said with the stack between ("the disk on x to 200 GB")', () => {
    const volume = (goal: string) => (specOf(goal, standing()).params as { volumeGb: number }).volumeGb;
    expect(volume('bump the disk on gp-two to 200 GB')).toBe(200);
    expect(volume('set the volume size of gp-two to 1 TB')).toBe(1024);
    expect(volume('set the disk of the gp-two stack to 150gb')).toBe(150);
  });

  it('says a change of type, model or volume replaces the running instances, and a size change does not', () => {
    const notes = (goal: string) => specOf(goal, standing()).rationale.join('\n');
    expect(notes('switch gp-two to g5.xlarge')).toContain(
      'Replaces the running instances one by one to run the new types g5.xlarge: each replacement is launched before the old instance stops (an instance refresh, started by the apply).',
    );
    expect(notes('use llama3.1:8b on gp-two, 200 GB disk')).toContain(
      'to run the new model llama3.1:8b, 200 GB volumes:',
    );
    expect(notes('scale gp-two to 3')).not.toContain('Replaces the running instances');
    // The GPUs the group runs, when a change moves them (g4dn.xlarge: 1, g5.12xlarge: 4).
    expect(notes('switch gp-two to g5.12xlarge')).toContain("GPUs running: 2 → 8 (at the group's desired capacity).");
    expect(notes('switch gp-two to g5.xlarge')).not.toContain('GPUs running');
    expect(notes('use llama3.1:8b on gp-two')).not.toContain('GPUs running');
  });

  it('reads its workers as its instances, and says so', () => {
    expect(sizes('scale gp-two to 3 workers')).toEqual([0, 3, 3]);
    expect(sizes('add a worker to gp-two')).toEqual([0, 3, 3]);
    const spec = specOf('private Ollama on 3 spot workers, stack gp-new');
    expect((spec.params as Sizes).desiredCapacity).toBe(3);
    expect(specOf('scale gp-two to 3 workers', standing()).rationale).toContain(
      "Read 3 worker(s) as 3 instance(s): an Ollama group's workers are its instances.",
    );
  });

  it('scales from the size it runs to another, and refuses a "from" that is not its size', () => {
    expect(sizes('scale gp-two from 2 to 4 instances')).toEqual([0, 4, 4]);
    expect(sizes('scale gp-two from 2 to 5 workers')).toEqual([0, 5, 5]);
    expect(refusal('scale gp-two from 3 to 5 workers')).toBe(
      'the group runs 2 instance(s), not 3: say "scale to 5" to set its size',
    );
    // A new group: a range, as "1 to 3 instances" is.
    expect(sizes('private Ollama from 1 to 3 instances, stack gp-range', fresh)).toEqual([1, 1, 3]);
  });

  it('points the size it set at the words', () => {
    const spec = specOf('add 2 more nodes to gp-two', standing());
    expect(spec.provenance?.['params.desiredCapacity']?.source).toBe('words');
  });

  it('refuses a count of instances said beside them that says otherwise', () => {
    expect(refusal('scale gp-two to 3 instances, add a worker')).toBe(
      'the goal says both a size (3 instance(s)) and instances to add or remove: say one of them',
    );
    expect(refusal('private Ollama on 2 spot g4dn.xlarge with 3 workers, stack gp-odd', fresh)).toBe(
      "the goal says 2 instance(s) and 3 worker(s), and an Ollama group's workers are its instances: say one count",
    );
    expect(sizes('private Ollama on 2 spot g4dn.xlarge, 2 workers, stack gp-even', fresh)).toEqual([0, 2, 2]);
  });
});

describe("a k3s cluster's workers in the same words", () => {
  it('adds nodes as workers, and scales from its workers', () => {
    expect(specOf('add 2 nodes to k-two', standing()).params).toMatchObject({ servers: 3, workers: 4 });
    expect(specOf('scale k-two from 2 to 5 workers', standing()).params).toMatchObject({ workers: 5 });
    expect(refusal('scale k-two from 4 to 5 workers')).toBe(
      'the cluster has 2 worker(s), not 4: say "scale to 5 workers" to set them',
    );
  });
});
