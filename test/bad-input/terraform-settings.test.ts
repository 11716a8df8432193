import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../support/crew-env.js';

// Bad Terraform settings for the aws target: one clear message naming the setting, no stack
// trace, and nothing planned or applied.

let t: CrewEnv;
let emptyMirror: string;
beforeAll(async () => {
  t = await makeCrewEnv({ AWS_ACCESS_KEY_ID: 'AKIABADINPUT00000001', AWS_SECRET_ACCESS_KEY: 'bad-input-secret' });
  emptyMirror = mkdtempSync(join(tmpdir(), 'empty-mirror-'));
});
afterAll(async () => {
  await t.close();
  rmSync(emptyMirror, { recursive: true, force: true });
});

const goal = 'private Ollama on spot g4dn.xlarge, stack bad-settings';
const noTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('bad Terraform settings', () => {
  it.each([
    [{ CREW_TF_BACKEND: 's4' }, 'CREW_TF_BACKEND=s4 is not one of local, s3, pg'],
    [{ CREW_TF_BACKEND: 's3' }, 'CREW_TF_S3_BUCKET'],
    [
      { CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'Not_A_Bucket' },
      'CREW_TF_S3_BUCKET=Not_A_Bucket is not an S3 bucket name',
    ],
    [{ CREW_TF_BACKEND: 'pg' }, 'CREW_TF_PG_CONN'],
    [{ CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: 'mysql://x' }, 'CREW_TF_PG_CONN is not a PostgreSQL connection string'],
  ])('%o is refused before anything runs, naming the setting', async (env, message) => {
    const r = await t.crew(['plan', goal, '--target', 'aws', '--as', 'alice'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    noTrace(r.stderr);
    expect(await t.plans().recent()).toEqual([]);
  });

  it('fails the plan when the provider mirror lacks the provider, saying how to fill it', async () => {
    const r = await t.crew(['plan', goal, '--target', 'aws', '--as', 'alice', '--json'], {
      CREW_TF_PLUGIN_MIRROR: emptyMirror,
    });
    expect(r.code).toBe(1);
    const plan = jsonOf<{ state: string; failure: string; planSha256: string | null }>(r);
    expect(plan.state).toBe('FAILED');
    expect(plan.failure).toContain(`CREW_TF_PLUGIN_MIRROR=${emptyMirror}`);
    expect(plan.failure).toContain('hashicorp/aws');
    expect(plan.failure).toContain('terraform providers mirror');
    expect(plan.planSha256).toBeNull();
    noTrace(plan.failure);
  });
});
