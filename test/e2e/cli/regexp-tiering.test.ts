import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { repoPath } from '../../support/paths.js';
import { waitFor } from '../../support/wait-for.js';

// How a crew process has V8 compile its regular expressions (src/runtime/compile-regexps-natively.ts):
// a one-shot command straight to machine code once its code is loaded, a long-running process
// and a command that opens no crew with V8's default tiering (bytecode first).

const PROBE = repoPath('test', 'support', 'report-regexp-tiering.mjs');

let t: CrewEnv;
let dir: string;
let redis: Redis;
beforeAll(async () => {
  t = await makeCrewEnv();
  redis = t.redis.client();
  dir = mkdtempSync(join(tmpdir(), 'crew-tiering-'));
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;
function probeEnv(): { env: Record<string, string>; read: () => { matched: boolean; bytecode: boolean } } {
  const file = join(dir, `probe-${++runs}.json`);
  return {
    env: { NODE_OPTIONS: `--import=${PROBE}`, CREW_TEST_REGEXP_TIERING: file },
    read: () => {
      if (!existsSync(file)) throw new Error(`the process wrote no report to ${file}`);
      return JSON.parse(readFileSync(file, 'utf8')) as { matched: boolean; bytecode: boolean };
    },
  };
}

describe('regular expressions in crew processes', () => {
  it('crew plan, a one-shot command, compiles them straight to machine code; its plan is read as before', async () => {
    const probe = probeEnv();
    const r = await t.crew(
      ['plan', 'private Ollama on spot g4dn.xlarge, stack tier1', '--as', 'alice', '--json'],
      probe.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const plan = jsonOf<{ state: string; stack: string; planSpec: { params: { instanceTypes: string[] } } }>(r);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    expect(plan.stack).toBe('tier1');
    expect(plan.planSpec.params.instanceTypes).toEqual(['g4dn.xlarge']);
    expect(probe.read()).toEqual({ matched: true, bytecode: false });
  });

  it("crew status, which opens no crew, keeps V8's default", async () => {
    const probe = probeEnv();
    const r = await t.crew(['status', '--json'], probe.env);
    expect(r.code, r.stderr).toBe(0);
    expect(probe.read()).toEqual({ matched: true, bytecode: true });
  });

  it("crew worker, a long-running process, keeps V8's default", async () => {
    const probe = probeEnv();
    const worker = t.start(['worker'], { ...probe.env, CREW_INSTANCE: 'tiering' });
    // Its consumers announce themselves once its crew runs.
    await waitFor(async () => (await redis.keys('crew:{stream}:consumer:*')).length > 0, {
      timeoutMs: 60_000,
      what: 'the worker to join the crew',
    });
    worker.kill('SIGTERM');
    const r = await worker.done;
    expect(r.code, r.stderr).toBe(0);
    expect(probe.read()).toEqual({ matched: true, bytecode: true });
  });
});
