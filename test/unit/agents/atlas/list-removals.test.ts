import { describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, refusalOf, specOf } from './atlas-fixtures.js';

// Values a goal takes away from a standing stack. Read as the list's values, "remove g5.xlarge
// from gp-pair" kept only g5.xlarge, "stop allowing 10.9.0.0/16" allowed only 10.9.0.0/16, and
// "replace g4dn.xlarge with g6.xlarge" kept both: each plan did the opposite of what was asked.

/** `gp-pair` runs g4dn.xlarge and g5.xlarge; `gp-net` allows 10.42.0.0/16 and 10.9.0.0/16; `gp-od` has 2 of 4 on demand, off on weekends. */
function standing() {
  const specs: Record<string, PlanSpec> = {
    'gp-pair': specOf('private Ollama on 2 spot g4dn.xlarge and g5.xlarge, stack gp-pair'),
    'gp-net': specOf('private Ollama on spot g4dn.xlarge, allow 10.42.0.0/16 and 10.9.0.0/16, stack gp-net'),
    'gp-od': specOf('private Ollama on 4 spot g4dn.xlarge, 2 on-demand, off on weekends, stack gp-od'),
  };
  return makeCtx(false, { currentSpec: (s) => structuredClone(specs[s]) });
}

type Params = { instanceTypes: string[]; allowedCidrs: string[]; onDemandBase: number; desiredCapacity: number };
const params = (goal: string) => specOf(goal, standing()).params as Params;
const types = (goal: string) => params(goal).instanceTypes;
const allowed = (goal: string) => params(goal).allowedCidrs;
const refusal = (goal: string) => refusalOf(goal, standing());

describe('instance types taken away', () => {
  it('removes the types named, keeping the others', () => {
    expect(types('remove g5.xlarge from gp-pair')).toEqual(['g4dn.xlarge']);
    expect(types('drop g4dn.xlarge from gp-pair')).toEqual(['g5.xlarge']);
    expect(types('stop using g5.xlarge on gp-pair')).toEqual(['g4dn.xlarge']);
    expect(types('gp-pair without g5.xlarge')).toEqual(['g4dn.xlarge']);
    // Said as a negation, or after the values.
    for (const goal of [
      "don't use g5.xlarge on gp-pair",
      'gp-pair should not use g5.xlarge anymore',
      'gp-pair: avoid g5.xlarge',
      'gp-pair: no g5.xlarge',
      'take g5.xlarge out of gp-pair',
      'on gp-pair, g5.xlarge must go',
    ])
      expect(types(goal), goal).toEqual(['g4dn.xlarge']);
    const spec = specOf('remove g5.xlarge from gp-pair', standing());
    expect(spec.rationale).toContain('Removes g5.xlarge from the instance types: g4dn.xlarge.');
    expect(spec.provenance?.['params.instanceTypes']?.source).toBe('words');
  });

  it('replaces one type with another, the rest kept', () => {
    for (const goal of [
      'replace g4dn.xlarge with g6.xlarge in gp-pair',
      'swap g4dn.xlarge for g6.xlarge on gp-pair',
      'use g6.xlarge instead of g4dn.xlarge on gp-pair',
      'switch gp-pair from g4dn.xlarge to g6.xlarge',
    ])
      expect(types(goal), goal).toEqual(['g5.xlarge', 'g6.xlarge']);
    // Without a type taken away, the types said are the group's, or join them said as an addition.
    expect(types('switch gp-pair to g6.xlarge')).toEqual(['g6.xlarge']);
    expect(types('also use g6.xlarge on gp-pair')).toEqual(['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge']);
  });

  it('refuses taking away a type the group does not run, or every type it runs', () => {
    expect(refusal('remove g6.xlarge from gp-pair')).toBe(
      "g6.xlarge is not among the stack's instance types (g4dn.xlarge, g5.xlarge): there is nothing to remove",
    );
    expect(refusal('remove g4dn.xlarge and g5.xlarge from gp-pair')).toBe(
      'removing g4dn.xlarge, g5.xlarge leaves the stack no instance types: say what replaces them',
    );
    expect(refusalOf('private Ollama on g4dn.xlarge without g5.xlarge, stack gp-new', makeCtx(false))).toBe(
      'a new stack has no instance types to remove (g5.xlarge): say the ones it uses',
    );
  });
});

describe('allowed networks taken away', () => {
  it('removes the ranges named, keeping the others', () => {
    for (const goal of [
      'remove 10.9.0.0/16 from gp-net',
      'stop allowing 10.9.0.0/16 on gp-net',
      'revoke access from 10.9.0.0/16 on gp-net',
      'gp-net: no longer allow 10.9.0.0/16',
      '10.9.0.0/16 is no longer needed on gp-net',
      'no more 10.9.0.0/16 on gp-net',
    ])
      expect(allowed(goal), goal).toEqual(['10.42.0.0/16']);
    expect(allowed('replace 10.9.0.0/16 with 10.8.0.0/16 on gp-net')).toEqual(['10.42.0.0/16', '10.8.0.0/16']);
    expect(allowed('also allow 10.7.0.0/16 on gp-net')).toEqual(['10.42.0.0/16', '10.9.0.0/16', '10.7.0.0/16']);
    expect(refusal('remove 10.42.0.0/16 and 10.9.0.0/16 from gp-net')).toBe(
      'removing 10.42.0.0/16, 10.9.0.0/16 leaves the stack no allowed networks: say what replaces them',
    );
  });
});

describe('the on-demand part and the weekend said in other words', () => {
  it('reads "all spot" and "no more on-demand" as no on-demand base', () => {
    for (const goal of [
      'make gp-od all spot',
      'gp-od: no more on-demand',
      'move gp-od fully to spot',
      'gp-od spot only',
      'drop the on-demand base on gp-od',
    ])
      expect(params(goal), goal).toMatchObject({ onDemandBase: 0, desiredCapacity: 4 });
    const either = parseGoal('remove the on-demand instances from gp-od', standing());
    expect(either.kind === 'blocked' && either.reason).toContain(
      '"remove the on-demand instances" can mean running them on Spot instead ("make x all spot") or stopping them ("scale x to 2"): say which',
    );
  });

  it('reads "at 18:00 instead of 22:00" as the new time, the old one left out', () => {
    const sched = specOf('put a weekend schedule on asg render-farm, stack rf-sched');
    const ctx = makeCtx(false, { currentSpec: (s) => (s === 'rf-sched' ? structuredClone(sched) : undefined) });
    // Read as a second moment, 22:00 became the Monday start.
    for (const goal of [
      'stop rf-sched on fridays at 18:00 instead of 22:00',
      'stop rf-sched at 6pm instead of 10pm on fridays',
    ])
      expect(specOf(goal, ctx).params, goal).toMatchObject({
        schedule: { stop: { day: 'FRI', time: '18:00' }, start: { day: 'MON', time: '07:00' } },
      });
  });

  it('reads "keep x on during weekends" as no weekend stop', () => {
    for (const goal of [
      'keep gp-od on during weekends',
      'keep gp-od up over the weekend',
      'leave gp-od running at weekends',
    ])
      expect(specOf(goal, standing()).params, goal).not.toHaveProperty('schedule');
  });
});

describe('access granted on a standing stack joins what it allows', () => {
  // Before: "allow 10.50.0.0/16 on gp-net" allowed only 10.50.0.0/16, dropping the stack's own
  // networks without a word in the rationale.
  it('"allow", "let … reach", "grant" add the network', () => {
    for (const goal of [
      'allow 10.50.0.0/16 on gp-net',
      'let 10.50.0.0/16 reach gp-net',
      'gp-net: grant 10.50.0.0/16 access',
    ])
      expect(allowed(goal), goal).toEqual(['10.42.0.0/16', '10.9.0.0/16', '10.50.0.0/16']);
  });

  it('"only allow" and "restrict" replace them', () => {
    expect(allowed('gp-net: only allow 10.50.0.0/16')).toEqual(['10.50.0.0/16']);
    expect(allowed('restrict gp-net to 10.50.0.0/16')).toEqual(['10.50.0.0/16']);
  });

  it('the rationale says what the change adds, and what a replacement drops', () => {
    const ctx = standing();
    const added = parseGoal('allow 10.50.0.0/16 on gp-net', ctx);
    expect(added.kind === 'spec' && added.spec.rationale).toContain(
      'Adds 10.50.0.0/16 to the allowed networks: 10.42.0.0/16, 10.9.0.0/16, 10.50.0.0/16.',
    );
    const replaced = parseGoal('gp-net: only allow 10.50.0.0/16', ctx);
    expect(replaced.kind === 'spec' && replaced.spec.rationale).toContain(
      'Replaces the allowed networks 10.42.0.0/16, 10.9.0.0/16 with 10.50.0.0/16 (say "also" to keep them).',
    );
    const types = parseGoal('gp-pair: use g6.xlarge', ctx);
    expect(types.kind === 'spec' && types.spec.rationale).toContain(
      'Replaces the instance types g4dn.xlarge, g5.xlarge with g6.xlarge (say "also" to keep them).',
    );
  });
});
