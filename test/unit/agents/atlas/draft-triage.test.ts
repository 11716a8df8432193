import { describe, expect, it } from 'vitest';
import type { GoalStatement } from '../../../../contracts/index.js';
import { draftTriage } from '../../../../src/agents/atlas/draft-triage.js';
import { currentSpecs, makeCtx } from './atlas-fixtures.js';

const spec = currentSpecs['ollama-prod']!;
const applied = { version: 4, planId: 'p-applied01', spec, monthlyUsd: 500, appliedAt: '2026-12-01T00:00:00Z' };
const goal = (drift: GoalStatement['drift'], stack = 'ollama-prod'): GoalStatement => ({
  text: 'Revert stack ollama-prod',
  requestedBy: 'alice',
  stack,
  ...(drift ? { drift } : {}),
});

describe('draftTriage (Revert and Adopt without words)', () => {
  it('Revert is the applied spec unchanged, every value from the current spec', () => {
    const out = draftTriage(goal({ action: 'revert', version: 4 }), applied, makeCtx(true));
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.params).toEqual(spec.params);
    expect(out.spec.budget).toEqual(spec.budget);
    expect(out.spec.region).toBe(spec.region);
    expect(Object.values(out.spec.provenance ?? {}).every((v) => v.source === 'current-spec')).toBe(true);
    expect(out.spec.rationale[0]).toContain(
      'Revert stack ollama-prod to its approved spec (version 4, plan p-applied01)',
    );
  });

  it('Adopt replaces the observed params, marked as observed', () => {
    const out = draftTriage(
      goal({ action: 'adopt', version: 4, set: { desiredCapacity: 3, maxSize: 6 } }),
      applied,
      makeCtx(true),
    );
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.params).toMatchObject({ desiredCapacity: 3, maxSize: 6, minSize: 1 });
    expect(out.spec.provenance?.['params.desiredCapacity']).toEqual({ source: 'observed' });
    expect(out.spec.provenance?.['params.minSize']).toEqual({ source: 'current-spec' });
    expect(out.spec.rationale[0]).toContain('desiredCapacity 2 → 3');
  });

  it('blocks a stack that moved on, a stack with nothing applied, and an adopt that changes nothing', () => {
    expect(draftTriage(goal({ action: 'revert', version: 3 }), applied, makeCtx(true))).toMatchObject({
      kind: 'blocked',
      reason: expect.stringContaining('moved on to version 4'),
    });
    expect(draftTriage(goal({ action: 'revert', version: 1 }), undefined, makeCtx(true))).toMatchObject({
      kind: 'blocked',
      reason: expect.stringContaining('no applied spec'),
    });
    expect(
      draftTriage(goal({ action: 'adopt', version: 4, set: { desiredCapacity: 2 } }), applied, makeCtx(true)),
    ).toMatchObject({ kind: 'blocked', reason: expect.stringContaining('Nothing to adopt') });
  });

  it('an observed value the blueprint does not accept, or policy forbids, makes no spec', () => {
    const bad = draftTriage(
      goal({ action: 'adopt', version: 4, set: { instanceTypes: ['${file("/etc/passwd")}'] } }),
      applied,
      makeCtx(true),
    );
    expect(bad.kind).not.toBe('spec');
    const forbidden = draftTriage(
      goal({ action: 'adopt', version: 4, set: { instanceTypes: ['p4d.24xlarge'] } }),
      applied,
      makeCtx(true, { constraints: { allowedInstanceTypes: ['g5.*'] } }),
    );
    expect(forbidden.kind).toBe('blocked');
  });

  it('Adopt on proxmox-k3s: the VMs observed memory goes into the spec, the rest as applied', () => {
    const k3s = currentSpecs['k3s-lab']!;
    const out = draftTriage(
      { ...goal({ action: 'adopt', version: 2, set: { memoryMb: 16384 } }, 'k3s-lab'), text: 'Adopt' },
      { ...applied, version: 2, spec: k3s },
      makeCtx(true),
    );
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.blueprint).toBe('proxmox-k3s');
    expect(out.spec.params).toEqual({ ...k3s.params, memoryMb: 16384 });
    expect(out.spec.provenance?.['params.memoryMb']).toEqual({ source: 'observed' });
  });
});
