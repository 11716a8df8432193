import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atlasDefaultsFromConfig } from '../../../../src/agents/atlas/atlas-context-from-config.js';
import { buildDigestReport } from '../../../../src/agents/finpilot/build-digest.js';
import { renderDigestText } from '../../../../src/agents/finpilot/render-digest-text.js';
import {
  planSuggestion,
  renderSuggestionsText,
  suggestSavings,
  type SavingsDeps,
} from '../../../../src/agents/finpilot/suggest-savings.js';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import { readConfig, type CrewConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { SuggestionStore } from '../../../../src/store/suggestion-store.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { requireTerraform } from '../../../support/terraform-harness.js';
import { waitFor } from '../../../support/wait-for.js';

// The must-hold of the savings suggestions, through the real pipeline on the sandbox target: an
// always-on g4dn.xlarge stack is applied, FinPilot suggests a weekend schedule saving $X/month,
// and the plan "Plan this" submits has Sentinel's cost diff −X.

const STACK = 'gpu-always';
let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;
let config: Readonly<CrewConfig>;
let prefix: string;
let deps: SavingsDeps;

async function applyGoal(text: string, requestedBy = 'alice'): Promise<string> {
  const r = await crew.ops.submitGoal({ text, requestedBy, target: 'sandbox' }, 'test');
  if (!r.ok) throw new Error(r.refusal);
  return r.value.id;
}

async function approveAndApply(planId: string): Promise<void> {
  const ready = await waitForPlan(crew.plans, planId, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], { timeoutMs: 60_000 });
  if (ready.state !== 'WAIT_FOR_APPROVE') throw new Error(`plan ${ready.state}: ${ready.failure ?? ''}`);
  const approved = await crew.ops.decide(ready.id, 'approve', 'bob', 'test');
  if (!approved.ok) throw new Error(approved.refusal);
  const done = await waitForPlan(crew.plans, ready.id, ['DONE', 'FAILED', 'ROLLED_BACK'], { timeoutMs: 60_000 });
  if (done.state !== 'DONE') throw new Error(`apply ended ${done.state}: ${done.failure ?? ''}`);
}

beforeAll(async () => {
  requireTerraform();
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-savings-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  config = readConfig({
    CREW_DATA_DIR: dataDir,
    CREW_TZ: 'UTC',
    TF_CLI_CONFIG_FILE: rc,
    PATH: process.env.PATH ?? '',
    CREW_APPROVERS: 'bob',
  });
  prefix = `t${randomBytes(4).toString('hex')}`;
  crew = startCrew({ config, logger: createLogger({ level: 'silent' }), redis, prefix });
  deps = {
    redis,
    prefix,
    stacks: crew.stacks,
    atlas: { defaults: atlasDefaultsFromConfig(config) },
    region: config.region,
  };
  await approveAndApply(
    await applyGoal(
      `private Ollama on g4dn.xlarge in us-east-1, keep it running through the weekend, budget $2000/month, stack ${STACK}`,
    ),
  );
}, 120_000);

afterAll(async () => {
  await crew?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('savings suggestions through the real pipeline', () => {
  it('weekend schedule saves $X/month, and the plan made from it has cost diff −X; accepted, then realised', async () => {
    const list = await suggestSavings(deps);
    const weekend = list.suggestions.find((s) => s.stack === STACK && s.kind === 'weekend-schedule');
    if (!weekend) throw new Error(renderSuggestionsText(list));
    const x = weekend.monthlyUsd;
    expect(x).toBeGreaterThan(0);
    expect(weekend.title).toBe(`weekend schedule: saves $${x.toFixed(2)}/month`);
    expect(renderSuggestionsText(list)).toContain(
      `${weekend.n}. ${STACK}: weekend schedule: saves $${x.toFixed(2)}/month`,
    );

    const planned = await planSuggestion(deps, { n: weekend.n, requestedBy: 'alice', producer: 'test', ops: crew.ops });
    if (!planned.ok) throw new Error(planned.refusal);
    const ready = await waitForPlan(crew.plans, planned.value.planId, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], {
      timeoutMs: 60_000,
    });
    expect(ready.state).toBe('WAIT_FOR_APPROVE');
    expect(ready.spec?.blueprint === 'aws-spot-ollama' && ready.spec.params.schedule?.stop).toEqual({
      day: 'FRI',
      time: '22:00',
    });
    // Sentinel's own number for the plan that went to review.
    expect(ready.validation?.cost.diffMonthlyUsd).toBe(-x);
    expect(ready.validation?.cost.previousMonthlyUsd).toBe(weekend.currentMonthlyUsd);
    expect(ready.validation?.cost.monthlyUsd).toBe(weekend.proposedMonthlyUsd);

    const store = new SuggestionStore({ redis, prefix });
    expect((await store.accepted()).map((a) => [a.planId, a.monthlyUsd, a.realisedAt])).toEqual([
      [ready.id, x, undefined],
    ]);
    await approveAndApply(ready.id);
    // FinPilot records it from the DONE transition, right after the state is committed.
    const accepted = await waitFor(async () => (await store.accepted()).find((a) => a.realisedAt), {
      what: 'the suggestion realised',
    });
    expect(accepted.planId).toBe(ready.id);

    const report = await buildDigestReport(
      { redis, prefix, stacks: crew.stacks, region: config.region },
      { from: new Date(Date.now() - 86_400_000), to: new Date() },
    );
    expect(report.savingsKpi).toMatchObject({ acceptedUsd: x, realisedUsd: x });
    const text = renderDigestText(report.digest, report);
    expect(text).toContain(`accepted $${x.toFixed(2)}/month, realised $${x.toFixed(2)}/month`);
  }, 120_000);

  it('refuses a number that is not on the list, and a suggestion with no goal', async () => {
    const r = await planSuggestion(deps, { n: 99, requestedBy: 'alice', producer: 'test', ops: crew.ops });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.refusal).toMatch(/there is no suggestion 99/);
  });
});
