import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTerraformEnv } from '../../../src/agents/forge/build-terraform-env.js';
import { renderBackend, s3StateKey } from '../../../src/agents/forge/render-backend.js';
import { renderSandbox } from '../../../src/agents/forge/render-sandbox.js';
import { SubprocessError } from '../../../src/agents/forge/subprocess-error.js';
import { TerraformRunner } from '../../../src/agents/forge/terraform-runner.js';
import { readTerraformSettings } from '../../../src/config/read-terraform-settings.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { putObject } from '../../support/aws-endpoint/s3-store.js';
import { awsSpec } from '../../support/forge-specs.js';
import { createTempStack, requireTerraform } from '../../support/terraform-harness.js';

// The real terraform's s3 backend (use_lockfile, path-style endpoint, as renderBackend writes
// it) keeps sandbox stacks' state in the local endpoint's S3: one key per stack, a lock object
// per run, shared by workspaces on different data dirs. Not real S3: the endpoint's S3 is what
// these calls need, answered as S3 answers them.

const BUCKET = 'crew-state-test';

interface Workspace {
  dir: string;
  tf: TerraformRunner;
  /** Runs terraform with an argument array; resolves whatever it exits with. */
  run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

let aws: AwsEndpoint;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  cleanups.push(() => aws.stop());
  aws.createBucket(BUCKET);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A workspace (its own data dir) of `stack` whose state lives in the endpoint's bucket. */
async function openWorkspace(stack: string, lockTimeoutSec = 10): Promise<Workspace> {
  requireTerraform();
  const temp = createTempStack('s3-backend-');
  cleanups.push(() => temp.cleanup());
  const settings = readTerraformSettings(
    { CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: BUCKET, CREW_TF_S3_REGION: 'us-east-1', CREW_TF_S3_ENDPOINT: aws.url },
    'us-east-1',
    '/',
  );
  const backend = renderBackend(settings, stack);
  temp.write({ ...renderSandbox(awsSpec({})).files, ...backend.files });
  const env = { ...temp.env, ...aws.env(), ...backend.env };
  const tf = new TerraformRunner({ inheritEnv: process.env, env, timeoutMs: 60_000, lockTimeoutSec });
  const fullEnv = buildTerraformEnv(env, process.env);
  const run = async (args: string[]) => {
    const r = await execa('terraform', args, {
      cwd: temp.dir,
      env: fullEnv,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  await tf.init(temp.dir);
  return { dir: temp.dir, tf, run };
}

function stateOf(stack: string): { resources: { type: string; name: string }[]; lineage: string } | undefined {
  const object = aws.bucket(BUCKET)?.objects.get(s3StateKey('infracrew', stack));
  return object ? (JSON.parse(object.body.toString()) as never) : undefined;
}

describe('the s3 state backend against the local endpoint', () => {
  it('applies a stack with its state and lock file in the bucket', async () => {
    const ws = await openWorkspace('s3-one');
    const planned = await ws.tf.plan(ws.dir, { out: 'current.tfplan' });
    expect(planned.changes).toBe(true);
    const from = aws.calls.length;
    await ws.tf.apply(ws.dir, 'current.tfplan');
    const during = aws.calls.slice(from).filter((c) => c.service === 's3');

    const state = stateOf('s3-one');
    expect(state?.resources.length).toBeGreaterThan(5);
    expect(state?.resources.every((r) => r.type === 'terraform_data')).toBe(true);
    const lockKey = `${s3StateKey('infracrew', 's3-one')}.tflock`;
    const lockPut = during.findIndex((c) => c.action === 'PutObject' && c.params.Key === lockKey);
    expect(lockPut).toBeGreaterThanOrEqual(0);
    expect(during[lockPut]?.params).toMatchObject({ 'if-none-match': '*' });
    expect(during[lockPut]?.status).toBe(200);
    const lockDelete = during.findIndex((c) => c.action === 'DeleteObject' && c.params.Key === lockKey);
    expect(lockDelete).toBeGreaterThan(lockPut);
    const statePut = during.findIndex(
      (c) => c.action === 'PutObject' && c.params.Key === s3StateKey('infracrew', 's3-one'),
    );
    expect(statePut).toBeGreaterThan(lockPut);
    expect(lockDelete).toBeGreaterThan(statePut);
    expect(aws.bucket(BUCKET)?.objects.has(lockKey)).toBe(false);
    // Everything the backend asked was answered: the only misses are "no state yet" lookups.
    const misses = aws.calls.filter((c) => c.status >= 400).map((c) => `${c.action} ${c.errorCode}`);
    expect(new Set(misses)).toEqual(new Set(['HeadObject NoSuchKey']));
  });

  it('keeps two stacks under separate keys, neither seeing the other', async () => {
    const [a, b] = await Promise.all([openWorkspace('s3-left'), openWorkspace('s3-right')]);
    await a.tf.plan(a.dir, { out: 'current.tfplan' });
    await a.tf.apply(a.dir, 'current.tfplan');

    expect(stateOf('s3-left')?.resources.length).toBeGreaterThan(5);
    expect(stateOf('s3-right')).toBeUndefined();
    const other = await b.run(['state', 'list', '-no-color']);
    expect(other).toMatchObject({ exitCode: 1, stdout: '', stderr: expect.stringMatching(/No state file was found/) });
    expect((await b.tf.plan(b.dir, { out: 'current.tfplan' })).changes).toBe(true);
    await b.tf.apply(b.dir, 'current.tfplan');
    expect(stateOf('s3-left')?.lineage).not.toBe(stateOf('s3-right')?.lineage);
    expect([...(aws.bucket(BUCKET)?.objects.keys() ?? [])].filter((k) => /s3-(left|right)/.test(k)).sort()).toEqual([
      s3StateKey('infracrew', 's3-left'),
      s3StateKey('infracrew', 's3-right'),
    ]);
  });

  it("shares one stack's state between workspaces on different data dirs", async () => {
    const first = await openWorkspace('s3-shared');
    await first.tf.plan(first.dir, { out: 'current.tfplan' });
    await first.tf.apply(first.dir, 'current.tfplan');
    const listed = await first.run(['state', 'list', '-no-color']);

    const second = await openWorkspace('s3-shared');
    const seen = await second.run(['state', 'list', '-no-color']);
    expect(seen.exitCode).toBe(0);
    expect(seen.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(seen.stdout).toBe(listed.stdout);
    expect((await second.tf.plan(second.dir, { out: 'current.tfplan' })).changes).toBe(false);
  });

  it("refuses a plan while another holder's lock object exists", async () => {
    const ws = await openWorkspace('s3-locked', 0);
    const lockKey = `${s3StateKey('infracrew', 's3-locked')}.tflock`;
    const holder = {
      ID: '5a1b6c1e-0000-4000-8000-000000000001',
      Operation: 'OperationTypeApply',
      Info: '',
      Who: 'other-worker@host-b',
      Version: '1.11.4',
      Created: new Date().toISOString(),
      Path: `${BUCKET}/${s3StateKey('infracrew', 's3-locked')}`,
    };
    putObject(aws.bucket(BUCKET)!, lockKey, Buffer.from(JSON.stringify(holder)), 'application/json');

    // The runner passes -lock-timeout=0s (lockTimeoutSec 0): one attempt, no wait.
    const refused = await ws.tf.plan(ws.dir, { out: 'current.tfplan' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SubprocessError);
    expect(refused).toMatchObject({ locked: true, message: expect.stringMatching(/locked by another Terraform/) });
    const { stderr } = refused as SubprocessError;
    expect(stderr).toMatch(/Error acquiring the state lock/);
    expect(stderr).toMatch(/PreconditionFailed|At least one of the pre-conditions/);
    expect(stderr).toContain('other-worker@host-b');
    const attempt = aws.calls.find((c) => c.action === 'PutObject' && c.params.Key === lockKey);
    expect(attempt).toMatchObject({ status: 412, errorCode: 'PreconditionFailed' });
    expect(JSON.parse(aws.bucket(BUCKET)!.objects.get(lockKey)!.body.toString())).toMatchObject({ ID: holder.ID });
  });
});
