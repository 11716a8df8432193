import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamKey } from '../../../../src/redis/keys.js';
import { CREW_BIN } from '../../../support/run-crew.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';
import { FIXTURE_BIN } from '../../../support/paths.js';
import { waitFor } from '../../../support/wait-for.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cancelling a plan while Terraform runs', () => {
  it('kills Terraform, records a BuildStatus, ends the plan and frees the stack', async () => {
    const marker = join(t.dataDir, 'slow-plan.pid');
    const env = {
      ...t.env,
      CREW_LOG_LEVEL: 'silent',
      CREW_TERRAFORM_BIN: join(FIXTURE_BIN, 'terraform-slow-plan'),
      TF_CREW_SLOW_MARKER: marker,
    };
    const planning = execa(
      'node',
      [CREW_BIN, 'plan', 'private Ollama on spot g4dn.xlarge, stack cancel-me', '--as', 'alice', '--json'],
      { env, reject: false },
    );
    await waitFor(() => existsSync(marker), { what: 'terraform plan to start', timeoutMs: 60_000, intervalMs: 100 });
    const pid = Number(readFileSync(marker, 'utf8').trim());
    expect(alive(pid)).toBe(true);

    const unlocked = await t.crew(['unlock', 'cancel-me', '--as', 'root']);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toMatch(/^stack cancel-me unlocked \(was held by plan p-[a-z0-9]+\)$/m);

    const r = await planning;
    expect(r.exitCode).toBe(1);
    const out = jsonOf({ code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
    expect(out).toMatchObject({ state: 'FAILED' });
    await waitFor(() => !alive(pid), {
      what: 'the terraform process to be stopped',
      timeoutMs: 20_000,
      intervalMs: 100,
    });

    const statuses = (await t.redis.client().xrange(streamKey('crew', 'build.status'), '-', '+')).map(([, f]) =>
      JSON.parse(f[1]!),
    );
    expect(
      statuses.some(
        (s) =>
          s.planId === (out as { id: string }).id && s.payload.ok === false && s.payload.detail.startsWith('cancelled'),
      ),
    ).toBe(true);
    const history = await t.plans().history((out as { id: string }).id);
    expect(history.at(-1)).toMatchObject({
      event: 'CANCEL',
      to: 'FAILED',
      by: 'root',
      reason: 'stack cancel-me unlocked by root',
    });

    // The stack is free again for the next plan.
    const next = await t.crew([
      'plan',
      'private Ollama on spot g4dn.xlarge, stack cancel-me',
      '--as',
      'alice',
      '--json',
    ]);
    expect(jsonOf(next)).toMatchObject({ state: 'WAIT_FOR_APPROVE' });
  });
});
