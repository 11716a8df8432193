import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPlan } from '../../../src/conductor/wait-for-plan.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { requireTerraform } from '../../support/terraform-harness.js';

// A rollback refused because another plan holds the stack says which plan, in which state, and
// what frees the stack (it said only "try again when it finishes", also of a plan whose CLI was
// killed while it drafted: then `crew wait <id>` runs it, or an admin unlocks the stack).

let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;

async function planned(text: string): Promise<string> {
  const r = await crew.ops.submitGoal({ text, requestedBy: 'alice', target: 'sandbox' }, 'test');
  if (!r.ok) throw new Error(r.refusal);
  const p = await waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], { timeoutMs: 60_000 });
  expect(p.state, p.failure).toBe('WAIT_FOR_APPROVE');
  return p.id;
}

beforeAll(async () => {
  requireTerraform();
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-locked-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  const config = readConfig({ CREW_DATA_DIR: dataDir, TF_CLI_CONFIG_FILE: rc, PATH: process.env.PATH ?? '' });
  crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
  });
});

afterAll(async () => {
  await crew?.close();
  redis?.disconnect();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a rollback of a stack another plan holds', () => {
  it('names the holder, its state and what frees the stack', async () => {
    const first = await planned('private Ollama on spot g4dn.xlarge, stack lk-one');
    const approved = await crew.ops.decide(first, 'approve', 'bob', 'test');
    if (!approved.ok) throw new Error(approved.refusal);
    expect((await waitForPlan(crew.plans, first, ['DONE', 'FAILED'], { timeoutMs: 60_000 })).state).toBe('DONE');

    const second = await planned('scale lk-one to 2');
    const waiting = await crew.ops.requestRollback(first, 'alice');
    expect(waiting.ok).toBe(false);
    if (waiting.ok) return;
    expect(waiting.refusal).toBe(
      `stack lk-one is locked by plan ${second} (WAIT_FOR_APPROVE): reject it, or try again once it is decided`,
    );
  });
});
