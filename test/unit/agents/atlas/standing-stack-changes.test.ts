import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, pick, refusalOf, specOf } from './atlas-fixtures.js';

// The fixture stacks: k3s-lab has 3 servers and 2 workers, one with a GPU; ollama-prod runs 2
// instances; ollama-dev stops Friday 22:00 and starts Monday 07:00; sched-ollama-dev-asg is the
// same schedule for the group ollama-dev-asg; dns-local holds test.local → 192.168.1.100 (TTL 300).
const stacks = makeCtx(true);

describe('servers added or removed change the count a cluster has', () => {
  it.each([
    // Before, each of these read the count said as the cluster's servers: "add a server" left 1 of 3.
    ['add a server to k3s-lab', 4],
    ['add 2 servers to k3s-lab', 5],
    ['another master for k3s-lab', 4],
    ['remove one server from k3s-lab', 2],
    ['k3s-lab: one fewer server', 2],
    ['k3s-lab with one less server', 2],
  ])('%s → %i servers', (goal, servers) => {
    const spec = specOf(goal, stacks);
    expect(spec.blueprint).toBe('proxmox-k3s');
    expect(pick(spec, 'params.servers')).toBe(servers);
    expect(pick(spec, 'params.workers')).toBe(2);
  });

  it('refuses removing more servers than the cluster has, with what it has', () => {
    expect(refusalOf('remove 3 servers from k3s-lab', stacks)).toMatch(/has 3 server\(s\): it cannot lose 3/);
  });

  it('a new cluster has no servers to remove', () => {
    expect(refusalOf('k3s cluster on proxmox with one fewer server, stack k-new', makeCtx(false))).toMatch(
      /new cluster has no servers to remove/,
    );
  });
});

describe('GPU workers added by count', () => {
  it('"2 more gpu workers" adds two workers with a GPU (GPU words picked AWS and refused before)', () => {
    const spec = specOf('k3s-lab: 2 more gpu workers', stacks);
    expect(spec.blueprint).toBe('proxmox-k3s');
    expect(spec.params).toMatchObject({ workers: 4, gpuWorkers: 3 });
  });
});

describe('a stack is not renamed', () => {
  it('says why and what to do instead (answered "Nothing to change")', () => {
    const out = parseGoal('rename ollama-dev to ollama-test', stacks);
    expect(out.kind === 'blocked' && out.reason).toMatch(
      /^Renaming a stack \(ollama-dev\) is not a plan Atlas drafts: .*Create the new stack with the same goal/,
    );
  });

  it('a goal that renames something else is read as usual', () => {
    expect(parseGoal('ollama-dev: rename the model to x', stacks).kind).not.toBe('blocked');
  });
});

describe('"fewer" and "less" take workers away', () => {
  it.each(['one fewer worker on k3s-lab', '1 fewer worker on k3s-lab', 'k3s-lab: one worker less'])('%s', (goal) => {
    const spec = specOf(goal, stacks);
    expect(pick(spec, 'params.workers')).toBe(1);
    expect(pick(spec, 'params.servers')).toBe(3);
  });

  it('refuses more than the cluster has, with what it has', () => {
    expect(refusalOf('three fewer workers on k3s-lab', stacks)).toMatch(/has 2 worker\(s\): it cannot lose 3/);
  });
});

describe('a GPU moved between workers leaves the workers as they are', () => {
  it('"remove the GPU from one worker" keeps the k3s stack (GPU words chose AWS before)', () => {
    const spec = specOf('remove the GPU from one worker of k3s-lab', stacks);
    expect(spec.blueprint).toBe('proxmox-k3s');
    expect(pick(spec, 'params.gpuWorkers')).toBe(0);
    expect(pick(spec, 'params.workers')).toBe(2);
  });

  it.each(['give another worker a GPU on k3s-lab', 'add a GPU to one worker of k3s-lab'])('%s', (goal) => {
    const spec = specOf(goal, stacks);
    expect(pick(spec, 'params.gpuWorkers')).toBe(2);
    expect(pick(spec, 'params.workers')).toBe(2);
  });

  it('refuses more than the cluster has', () => {
    expect(refusalOf('remove the GPU from two workers of k3s-lab', stacks)).toMatch(
      /1 GPU worker\(s\): it cannot lose 2/,
    );
  });

  it('an Ollama group has no GPU to move: its instance type decides (answered "Nothing to change")', () => {
    expect(refusalOf('remove the GPU from one worker of ollama-prod', stacks)).toMatch(
      /each have the GPUs of their instance type \(g5\.xlarge\)/,
    );
  });
});

describe('servers of an Ollama group are its instances', () => {
  it('"add a server" adds an instance (answered "Nothing to change" before)', () => {
    expect(pick(specOf('add a server to ollama-prod', stacks), 'params.desiredCapacity')).toBe(3);
  });

  it('"with 2 servers" sizes a new group (the count was dropped before)', () => {
    const spec = specOf('Ollama on spot g5.xlarge with 2 servers, stack new-one');
    expect(pick(spec, 'params.desiredCapacity')).toBe(2);
  });
});

describe('a stop or start time said without a day keeps the day the schedule has', () => {
  it.each([
    ['make ollama-dev stop at 20:00', 'params.schedule', { stop: 'FRI 20:00', start: 'MON 07:00' }],
    ['shift the start of ollama-dev to 8am', 'params.schedule', { stop: 'FRI 22:00', start: 'MON 08:00' }],
    ['ollama-dev: stop at 19:00 and start at 6am', 'params.schedule', { stop: 'FRI 19:00', start: 'MON 06:00' }],
    // Before: the stack's name was read as a group's ("sched-sched-…", no schedule), and the time asked about.
    ['move the stop of sched-ollama-dev-asg to 20:00', 'params.schedule', { stop: 'FRI 20:00', start: 'MON 07:00' }],
  ])('%s', (goal, path, want) => {
    const spec = specOf(goal, stacks);
    const s = pick(spec, path) as { stop: { day: string; time: string }; start: { day: string; time: string } };
    expect({ stop: `${s.stop.day} ${s.stop.time}`, start: `${s.start.day} ${s.start.time}` }).toEqual(want);
  });

  it('the schedule stack keeps its group', () => {
    const spec = specOf('move the stop of sched-ollama-dev-asg to 20:00', stacks);
    expect(spec.stack).toBe('sched-ollama-dev-asg');
    expect(pick(spec, 'params.asgName')).toBe('ollama-dev-asg');
  });

  it('a stack with no schedule is asked for the day, in the words said', () => {
    expect(refusalOf('make ollama-prod stop at 20:00', stacks)).toMatch(
      /"stop at 20:00" names no day, and there is no schedule whose days it could keep.*"stop Friday 20:00, start Monday 07:00"/,
    );
  });
});

describe('a stop or start moved by an amount of time', () => {
  const times = (goal: string) => {
    const s = pick(specOf(goal, stacks), 'params.schedule') as {
      stop: { day: string; time: string };
      start: { day: string; time: string };
    };
    return `${s.stop.day} ${s.stop.time} → ${s.start.day} ${s.start.time}`;
  };

  it.each([
    // Each answered "Nothing to change" (the amount was read as a DNS duration, or not at all).
    ['stop ollama-dev an hour later', 'FRI 23:00 → MON 07:00'],
    ['start ollama-dev 30 minutes earlier', 'FRI 22:00 → MON 06:30'],
    ['start ollama-dev an hour earlier on mondays', 'FRI 22:00 → MON 06:00'],
    ['ollama-dev: stop later by 2 hours', 'SAT 00:00 → MON 07:00'],
    // Past midnight it is the next day.
    ['stop ollama-dev 3 hours later', 'SAT 01:00 → MON 07:00'],
  ])('%s → %s', (goal, want) => {
    expect(times(goal)).toBe(want);
  });

  it('moves a schedule stack, and the rationale says from what to what', () => {
    const out = parseGoal('start sched-ollama-dev-asg half an hour later', stacks);
    expect(out.kind === 'spec' && out.spec.params).toMatchObject({
      asgName: 'ollama-dev-asg',
      schedule: { start: { day: 'MON', time: '07:30' } },
    });
    expect(out.kind === 'spec' && out.spec.rationale).toContain(
      'Moves the start from MON 07:00 to MON 07:30 (later by 30 minutes).',
    );
  });

  it('a stack with no schedule has no time to move', () => {
    expect(refusalOf('stop ollama-prod an hour later', stacks)).toMatch(
      /"stop ollama-prod an hour later" moves a time, and there is no schedule to move/,
    );
  });

  it('a bare hour after "at" is asked about as a time, not a count', () => {
    const out = parseGoal("make ollama-dev's weekend start at 9", stacks);
    expect(out.kind === 'blocked' && out.reason).toMatch(/could not read "at 9": say it as a weekday and a time/);
  });
});

describe("a record's TTL changed by name keeps its value", () => {
  it.each([
    // Before: "does not match any blueprint" (the first two), or a value asked for.
    ['set the ttl of test.local to 600', 600],
    ['change the TTL of test.local to 10 minutes', 600],
    ['test.local ttl 600', 600],
  ])('%s', (goal, ttl) => {
    const spec = specOf(goal, stacks);
    expect(spec.stack).toBe('dns-local');
    expect(spec.params).toMatchObject({ name: 'test', zone: 'local', type: 'A', value: '192.168.1.100', ttl });
  });

  it('a record the stacks do not hold still needs its value', () => {
    const out = parseGoal('set the ttl of new.local to 600', stacks);
    expect(out.kind === 'blocked' && out.reason).toMatch(/A value is needed for new\.local/);
  });
});

describe('what Atlas says back', () => {
  it('quotes a number written as a word whole, not its first letter', () => {
    const out = parseGoal('ollama-prod with eleven flurbs', stacks);
    expect(out.kind).toBe('blocked');
    expect(JSON.stringify(out)).toContain('could not read \\"with eleven\\"');
  });

  it('says "an" before a blueprint that starts with a vowel', () => {
    const out = parseGoal('add DNS record x.local to 10.0.0.1, stack ollama-dev', stacks);
    expect(out.kind === 'blocked' && out.reason).toMatch(/holds an aws-spot-ollama plan; a dns-record change/);
  });
});
