import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint, type AwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { requireAwsMirror } from '../../support/aws-target.js';
import { freePort } from '../../support/redis-server.js';
import { runCrew } from '../../support/run-crew.js';

// `crew doctor` run as a user would, against the real terraform, the provider mirror, the
// machine's PostgreSQL and a local AWS endpoint.

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

let aws: AwsEndpoint;
let mirror: string;
let home: string;
beforeAll(async () => {
  mirror = requireAwsMirror();
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  home = mkdtempSync(join(tmpdir(), 'doctor-'));
});
afterAll(async () => {
  await aws?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function doctor(env: Record<string, string>, args: string[] = []) {
  const r = await runCrew(['doctor', '--json', ...args], {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CREW_DATA_DIR: join(home, 'data'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  });
  const checks = JSON.parse(r.stdout) as Check[];
  return { code: r.code, checks, byName: (name: string) => checks.find((c) => c.name === name) };
}

describe('crew doctor', () => {
  it('is ready for the aws target with the mirror, a pg backend and accepted credentials', async () => {
    const r = await doctor(
      {
        CREW_TF_PLUGIN_MIRROR: mirror,
        CREW_TF_BACKEND: 'pg',
        CREW_TF_PG_CONN: 'postgres://postgres:not-printed@127.0.0.1:5432/postgres',
        ...aws.env(),
      },
      ['--target', 'aws'],
    );
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['terraform', 'ok'],
      ['providers', 'ok'],
      ['backend', 'ok'],
      ['aws credentials', 'ok'],
    ]);
    expect(r.code).toBe(0);
    expect(r.byName('aws credentials')?.detail).toContain('arn:aws:');
    expect(JSON.stringify(r.checks)).not.toContain('not-printed');
  });

  it('names each missing piece and what to do, and exits 1', async () => {
    aws.rejectCredentials('ExpiredToken', 'The security token included in the request is expired');
    const emptyMirror = mkdtempSync(join(tmpdir(), 'empty-mirror-'));
    try {
      const r = await doctor(
        {
          CREW_TF_PLUGIN_MIRROR: emptyMirror,
          CREW_TF_BACKEND: 'pg',
          CREW_TF_PG_CONN: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
          CREW_TERRAFORM_BIN: join(home, 'no-terraform'),
          ...aws.env(),
        },
        ['--target', 'aws'],
      );
      expect(r.code).toBe(1);
      expect(r.checks.every((c) => c.status === 'fail')).toBe(true);
      expect(r.byName('terraform')?.fix).toMatch(/install Terraform/);
      expect(r.byName('providers')?.detail).toContain('hashicorp/aws');
      expect(r.byName('providers')?.fix).toContain('terraform providers mirror');
      expect(r.byName('backend')?.detail).toMatch(/ECONNREFUSED/);
      expect(r.byName('aws credentials')?.detail).toContain('AWS rejected the credentials: ExpiredToken');
    } finally {
      aws.acceptCredentials();
      rmSync(emptyMirror, { recursive: true, force: true });
    }
  });

  it('reports a bad setting as a failed configuration check', async () => {
    const r = await doctor({ CREW_TF_BACKEND: 's3' });
    expect(r.code).toBe(1);
    expect(r.checks).toEqual([expect.objectContaining({ name: 'configuration', status: 'fail' })]);
    expect(r.checks[0]?.detail).toContain('CREW_TF_S3_BUCKET');
  });
});
