import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsSpotOllamaSpec } from '../../../../contracts/artifacts.js';
import { StalePlanError } from '../../../../src/agents/forge/change-runner.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { readTerraformSettings } from '../../../../src/config/read-terraform-settings.js';
import { createDataDir, type TempDataDir } from '../../../support/aws-target.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { createTestDatabase, type TestDatabase } from '../../../support/postgres-database.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// CREW_TF_BACKEND=pg with real terraform and PostgreSQL: sandbox stacks (terraform_data, no
// provider download) whose state lives in one schema per stack, shared by workers whose data
// dirs differ.

// Trust auth ignores it; it is here to prove the connection string never reaches a file.
const PASSWORD = 'planted-Pg-secret-4711';

let db: TestDatabase;
const dirs: TempDataDir[] = [];

beforeAll(() => {
  requireTerraform();
});

beforeEach(async () => {
  db = await createTestDatabase();
});

afterEach(async () => {
  await db.drop();
});

afterAll(() => {
  for (const d of dirs) d.cleanup();
});

/** One worker: its own data dir, the crew's pg backend. */
function worker(o: { port?: number; onRetry?: (command: string) => void } = {}): {
  dir: string;
  runner: TerraformChangeRunner;
  ws: (stack: string) => StackWorkspace;
} {
  const data = createDataDir('crew-pg-');
  dirs.push(data);
  const conn = `postgres://postgres:${PASSWORD}@127.0.0.1:${o.port ?? 5432}/${db.name}?sslmode=disable`;
  const settings = readTerraformSettings({ CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: conn }, 'eu-west-1');
  const tf = new TerraformRunner({
    inheritEnv: { PATH: process.env.PATH ?? '', HOME: data.dir },
    timeoutMs: 120_000,
    lockTimeoutSec: 30,
  });
  return {
    dir: data.dir,
    runner: new TerraformChangeRunner(tf, undefined, {
      settings,
      ...(o.onRetry ? { onStateBackendRetry: (command: string) => o.onRetry!(command) } : {}),
    }),
    ws: (stack) => new StackWorkspace(data.dir, stack),
  };
}

const spec = (stack: string, desiredCapacity = 1): AwsSpotOllamaSpec => ({
  ...awsSpec({ desiredCapacity, schedule: undefined }),
  stack,
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the pg state backend', () => {
  it('keeps each stack in its own schema: two stacks never see each other', async () => {
    const w = worker();
    for (const stack of ['alpha', 'beta-two']) {
      const built = await w.runner.plan(spec(stack), w.ws(stack), { name: 'p1' });
      await w.runner.apply(spec(stack), w.ws(stack), built.planFile.path);
    }
    const schemas = await db.query(
      "select schema_name from information_schema.schemata where schema_name like 'infracrew%' order by 1",
    );
    expect(schemas.split('\n')).toEqual(['infracrew_alpha', 'infracrew_beta_two']);
    const alpha = await db.query('select data from infracrew_alpha.states');
    const beta = await db.query('select data from infracrew_beta_two.states');
    expect(alpha).toContain('alpha-ollama');
    expect(alpha).not.toContain('beta-two');
    expect(beta).toContain('beta-two-ollama');
    expect(beta).not.toContain('alpha-ollama');
    expect(await w.runner.outputs(spec('alpha'), w.ws('alpha'))).toMatchObject({
      autoscaling_group_name: 'alpha-ollama',
    });
    // No state in the workspace, and the connection string in no file Forge wrote.
    const files = filesUnder(w.dir);
    expect(files.some((f) => f.endsWith('terraform.tfstate') && !f.includes('.terraform'))).toBe(false);
    for (const f of files.filter((p) => !p.endsWith('.tfplan') && !p.includes('/providers/')))
      expect(readFileSync(f, 'utf8')).not.toContain(PASSWORD);
  });

  it("a second worker (another data dir) sees the stack, applies the first one's plan, and finds a moved stack stale", async () => {
    const a = worker();
    const b = worker();
    const first = await a.runner.plan(spec('shared'), a.ws('shared'), { name: 'p1' });
    // B has never seen this stack: its workspace gets the root config A planned with (as the
    // artifact store hands it over), backend block included, and is initialised before the apply.
    expect(Object.keys(first.rootConfig ?? {}).sort()).toEqual(['backend.tf.json', 'main.tf.json']);
    await b.runner.apply(spec('shared'), b.ws('shared'), first.planFile.path, { rootConfig: first.rootConfig });
    expect(await b.ws('shared').readConfig()).toEqual(first.rootConfig);
    expect(await a.runner.outputs(spec('shared'), a.ws('shared'))).toMatchObject({
      autoscaling_group_name: 'shared-ollama',
    });
    const again = await a.runner.plan(spec('shared'), a.ws('shared'), { name: 'p2' });
    expect(again.changes).toBe(false);

    // A plans a change; B changes the stack first: A's saved plan is stale.
    const fromA = await a.runner.plan(spec('shared', 2), a.ws('shared'), { name: 'p3' });
    const fromB = await b.runner.plan(spec('shared', 3), b.ws('shared'), { name: 'p3' });
    await b.runner.apply(spec('shared', 3), b.ws('shared'), fromB.planFile.path);
    await expect(a.runner.apply(spec('shared', 2), a.ws('shared'), fromA.planFile.path)).rejects.toBeInstanceOf(
      StalePlanError,
    );
    const state = await db.query('select data from infracrew_shared.states');
    expect(state).toMatch(/"desired_capacity": *3\b/);
  });

  it('a state database that drops its first connections costs a retry, not the plan', async () => {
    // A relay in front of PostgreSQL that resets its first connections, as a restart or
    // pg_terminate_backend does to Terraform's: init and plan are run again and succeed.
    let seen = 0;
    const relay = createServer((client) => {
      seen++;
      if (seen <= 2) return void client.resetAndDestroy();
      const upstream = connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) s.on('error', () => (client.destroy(), upstream.destroy()));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    try {
      const retried: string[] = [];
      const w = worker({ port: (relay.address() as AddressInfo).port, onRetry: (c) => retried.push(c) });
      const built = await w.runner.plan(spec('flaky'), w.ws('flaky'), { name: 'p1' });
      expect(built.summary.create).toBeGreaterThan(0);
      expect(retried.length).toBeGreaterThan(0);
      expect(seen).toBeGreaterThan(2);
    } finally {
      await new Promise((r) => relay.close(r));
    }
  });
});
