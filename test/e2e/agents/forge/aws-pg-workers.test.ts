import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint, type AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { requireAwsMirror } from '../../../support/aws-target.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';
import { createTestDatabase, type TestDatabase } from '../../../support/postgres-database.js';
import { waitFor } from '../../../support/wait-for.js';

// Two hosts, as far as Forge can tell: workers with different data dirs share one stack's
// Terraform state through the pg backend. One plans and is killed (its data dir goes with it);
// the other applies the approved plan file and a third rolls back.

let aws: AwsEndpoint;
let db: TestDatabase;
let t: CrewEnv;
const dirs: string[] = [];
beforeAll(async () => {
  const mirror = requireAwsMirror();
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  db = await createTestDatabase();
  t = await makeCrewEnv({
    CREW_TF_PLUGIN_MIRROR: mirror,
    CREW_TF_BACKEND: 'pg',
    CREW_TF_PG_CONN: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
    ...aws.env(),
  });
});
afterAll(async () => {
  await t?.close();
  await aws?.stop();
  await db?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data dir of its own, at another depth than the first, as another host's would be. */
function hostDir(name: string, depth: number): string {
  const root = mkdtempSync(join(tmpdir(), `crew-${name}-`));
  dirs.push(root);
  const dir = join(root, ...Array.from({ length: depth }, (_, i) => `d${i}`));
  mkdirSync(dir, { recursive: true });
  return dir;
}

// A hang detector, not a time limit: real-provider chains take minutes on a loaded machine.
describe('the pg backend shares a stack between workers that share no disk', { timeout: 420_000 }, () => {
  it('one worker plans and dies; another applies the approved plan; a third rolls back', async () => {
    const stack = 'ollama-pg';
    const hostA = hostDir('a', 1);
    const workerA = t.start(['worker'], { CREW_DATA_DIR: hostA, CREW_INSTANCE: 'host-a' });
    const planned = await t.crew(
      [
        'plan',
        `private Ollama on spot g4dn.xlarge in us-east-1, stack ${stack}`,
        '--target',
        'aws',
        '--as',
        'alice',
        '--json',
      ],
      { CREW_DATA_DIR: hostA },
    );
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<{ id: string; state: string }>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    workerA.kill('SIGKILL');
    await workerA.done;
    rmSync(hostA, { recursive: true, force: true }); // host A is gone, and its disk with it

    const hostB = hostDir('b', 3);
    t.start(['worker'], { CREW_DATA_DIR: hostB, CREW_INSTANCE: 'host-b' });
    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json'], { CREW_DATA_DIR: hostB });
    expect(approved.code, `${approved.stdout}\n${approved.stderr}`).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: plan.id, state: 'DONE', version: 1 });
    expect(aws.createCounts().CreateVpc).toBe(1);
    expect(aws.resources('autoscaling-group')).toHaveLength(1);
    const schemas = await db.query(
      `select schema_name from information_schema.schemata where schema_name like 'infracrew%'`,
    );
    expect(schemas.split('\n')).toHaveLength(1);
    const state = await db.query(`select data from "${schemas}".states where name = 'default'`);
    expect(state).toContain('aws_autoscaling_group');

    const hostC = hostDir('c', 2);
    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice', '--json'], { CREW_DATA_DIR: hostC });
    expect(rolled.code, `${rolled.stdout}\n${rolled.stderr}`).toBe(0);
    expect(jsonOf(rolled)).toMatchObject({ state: 'ROLLED_BACK' });
    await waitFor(() => Object.keys(aws.state.summary()).length === 0, { timeoutMs: 10_000 });
    expect(aws.createCounts().CreateVpc).toBe(1);
  });
});
