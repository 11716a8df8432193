import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../../../contracts/index.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../../src/agents/atlas/default-atlas-defaults.js';
import { draftWithStacks } from '../../../../src/agents/atlas/draft-with-stacks.js';
import { parseGoal } from '../../../../src/agents/atlas/parse-goal.js';
import type { AtlasContext } from '../../../../src/agents/atlas/atlas-types.js';
import { StackStore } from '../../../../src/store/stack-store.js';
import { FIXTURES } from '../../../support/paths.js';
import { useTestRedis } from '../../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

interface CorpusEntry {
  goal: string;
  stack?: string;
}
const corpus = JSON.parse(readFileSync(`${FIXTURES}/goals/corpus.json`, 'utf8')) as CorpusEntry[];
const fixtureSpecs = JSON.parse(readFileSync(`${FIXTURES}/goals/current-specs.json`, 'utf8')) as Record<
  string,
  PlanSpec
>;

/** HMGETs sent meanwhile: each is one stack's record read (StackStore.current). */
async function recordReads(run: () => Promise<unknown>): Promise<number> {
  const count = async () => Number(/^cmdstat_hmget:calls=(\d+)/m.exec(await redis.info('commandstats'))?.[1] ?? 0);
  const before = await count();
  await run();
  return (await count()) - before;
}

/** A crew with the fixture stacks and 40 more applied, one of them destroyed since. */
async function appliedStacks(): Promise<{ stacks: StackStore; all: Map<string, PlanSpec> }> {
  const stacks = new StackStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
  const all = new Map(Object.entries(fixtureSpecs));
  const template = fixtureSpecs['ollama-dev'] as PlanSpec;
  for (let i = 0; i < 40; i++) all.set(`filler-${i}`, { ...structuredClone(template), stack: `filler-${i}` });
  const at = '2026-12-01T10:00:00.000Z';
  for (const [name, spec] of all)
    await stacks.recordApplied(name, { planId: `p-${name}`, spec, monthlyUsd: 10, appliedAt: at });
  await stacks.recordApplied('filler-7', { planId: 'p-gone', spec: null, monthlyUsd: 0, appliedAt: at });
  all.delete('filler-7');
  return { stacks, all };
}

describe('Atlas reads only the stacks a goal names', () => {
  it('drafts every corpus goal as it would with every stack read, reading only the records it asks for', async () => {
    const { stacks, all } = await appliedStacks();
    const ctx = (e: CorpusEntry, currentSpec: AtlasContext['currentSpec']): AtlasContext => ({
      defaults: DEFAULT_ATLAS_DEFAULTS,
      ...(e.stack ? { stack: e.stack } : {}),
      ...(currentSpec ? { currentSpec } : {}),
    });
    let reads = 0;
    let changes = 0;
    for (const e of corpus) {
      const everyStack = parseGoal(
        e.goal,
        ctx(e, (s) => structuredClone(all.get(s))),
      );
      let lazy: unknown;
      reads += await recordReads(async () => {
        lazy = await draftWithStacks(stacks, (lookup) => parseGoal(e.goal, ctx(e, lookup)));
      });
      expect(lazy, e.goal).toEqual(everyStack);
      if (everyStack.kind === 'spec' && all.has(everyStack.spec.stack)) changes++;
    }
    // A change request reads its own stack (186 reads here), not all 45 stacks for each of 230 goals.
    expect(changes).toBeGreaterThan(20);
    expect(reads).toBeGreaterThanOrEqual(changes);
    expect(reads).toBeLessThan(corpus.length);
  });

  it('reads no stack record for a new stack and one for a change to a standing stack', async () => {
    const { stacks } = await appliedStacks();
    const draft = (goal: string) =>
      draftWithStacks(stacks, (currentSpec) => parseGoal(goal, { defaults: DEFAULT_ATLAS_DEFAULTS, currentSpec }));
    let outcome: Awaited<ReturnType<typeof draft>> | undefined;
    expect(
      await recordReads(async () => (outcome = await draft('private Ollama on spot g4dn.xlarge, stack n-1'))),
    ).toBe(0);
    expect(outcome).toMatchObject({ kind: 'spec', spec: { stack: 'n-1' } });
    expect(await recordReads(async () => (outcome = await draft('scale ollama-prod to 6')))).toBe(1);
    expect(outcome).toMatchObject({ kind: 'spec', spec: { stack: 'ollama-prod', params: { maxSize: 6 } } });
    // A destroyed stack is not one a goal can change: read as a new stack, its record unread.
    expect(await recordReads(async () => (outcome = await draft('scale filler-7 to 2')))).toBe(0);
  });

  it('gives each lookup its own copy of a spec: what one run changes never reaches the next', async () => {
    const { stacks } = await appliedStacks();
    const workers: unknown[] = [];
    await draftWithStacks(stacks, (lookup) => {
      const spec = lookup('k3s-lab');
      if (!spec) return undefined;
      workers.push((spec.params as Record<string, unknown>)['workers']);
      (spec.params as Record<string, unknown>)['workers'] = -1;
      workers.push((lookup('k3s-lab')?.params as Record<string, unknown>)['workers']);
      return spec;
    });
    // Run 1 lacked the spec; run 2 got it, changed its copy, and a second lookup got it whole.
    const stored = (fixtureSpecs['k3s-lab'] as { params: { workers: number } }).params.workers;
    expect(workers).toEqual([stored, stored]);
    expect((await stacks.current('k3s-lab'))?.spec).toEqual(fixtureSpecs['k3s-lab']);
  });
});

describe('the versions a draft saw', () => {
  it('are each stack read at the version of its spec, and every other stack at its version when the names were read', async () => {
    const { stacks } = await appliedStacks();
    // ollama-dev applied a second time: version 2.
    const spec = fixtureSpecs['ollama-dev'] as PlanSpec;
    await stacks.recordApplied('ollama-dev', {
      planId: 'p-dev2',
      spec,
      monthlyUsd: 10,
      appliedAt: '2026-12-02T10:00:00.000Z',
    });
    const seen = new Map<string, number>();
    const out = await draftWithStacks(
      stacks,
      (currentSpec) => parseGoal('scale ollama-dev to 2', { defaults: DEFAULT_ATLAS_DEFAULTS, currentSpec }),
      undefined,
      seen,
    );
    expect(out.kind).toBe('spec');
    expect(seen.get('ollama-dev')).toBe(2);
    // Destroyed since (version 2, no spec): its version, though no spec of it could be read.
    expect(seen.get('filler-7')).toBe(2);
    expect(seen.get('filler-8')).toBe(1);
    // A stack that never stood is not listed: version 0.
    expect(seen.has('brand-new')).toBe(false);
  });
});
