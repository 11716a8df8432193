import { describe, expect, it, vi } from 'vitest';
import { ARTIFACT_TYPES } from '../../../contracts/artifacts.js';
import * as compiledValidators from '../../../contracts/compiled-validators.js';
import { checkArtifact } from '../../../contracts/validate-artifact.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { warmValidators } from '../../../src/bus/warm-validators.js';

describe('warming the artifact validators (what long-running processes run at start)', () => {
  it('runs every compiled validator, one per artifact type at least', () => {
    const exported = Object.values(compiledValidators).filter((v) => typeof v === 'function').length;
    const ran = warmValidators();
    expect(ran).toBe(exported);
    expect(ran).toBeGreaterThanOrEqual(ARTIFACT_TYPES.length);
    // Each type has its own, but a PlanSpec is checked by its blueprint's variant.
    const names = Object.keys(compiledValidators);
    for (const type of ARTIFACT_TYPES.filter((t) => t !== 'PlanSpec')) expect(names).toContain(type);
    expect(names.filter((n) => n.endsWith('Spec')).length).toBeGreaterThanOrEqual(4);
  });

  it('leaves each validator judging as before: a valid artifact passes, a broken one is refused', () => {
    warmValidators();
    const event = makeArtifact('OpsEvent', 'p-warm0001', { kind: 'heartbeat', detail: 'ok' }, { producer: 'test' });
    expect(checkArtifact(event)).toMatchObject({ ok: true });
    const broken = { ...event, payload: { kind: 'heartbeat' } };
    const checked = checkArtifact(broken);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.reason).toMatch(/detail/);
  });

  it('runs them once per process when asked by every Terraform start (warmValidatorsOnce)', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/bus/warm-validators.js');
    expect(fresh.warmValidatorsOnce()).toBe(true);
    expect(fresh.warmValidatorsOnce()).toBe(false);
    // After the start-up warm-up, a Terraform start does not run them again.
    vi.resetModules();
    const warmedAtStart = await import('../../../src/bus/warm-validators.js');
    warmedAtStart.warmValidators();
    expect(warmedAtStart.warmValidatorsOnce()).toBe(false);
  });
});
