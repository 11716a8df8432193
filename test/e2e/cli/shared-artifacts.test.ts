import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

// Hosts that share only Redis and PostgreSQL: the host that planned is gone (its data dir with
// it) when another approves; the approved bytes come from crew_artifacts, checked by sha256.

let t: CrewEnv;
let db: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  t = await makeCrewEnv({ CREW_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db.name}` });
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function hostDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `crew-${name}-`));
  dirs.push(dir);
  return dir;
}

async function planOnGoneHost(stack: string): Promise<{ id: string; planSha256: string }> {
  const hostA = hostDir('a');
  const goal = `private Ollama on spot g4dn.xlarge in us-east-1, budget $5000/month, stack ${stack}`;
  const planned = await t.crew(['plan', goal, '--as', 'alice', '--json'], { CREW_DATA_DIR: hostA });
  expect(planned.code, planned.stderr).toBe(0);
  const plan = jsonOf<{ id: string; state: string; planSha256: string }>(planned);
  expect(plan.state).toBe('WAIT_FOR_APPROVE');
  rmSync(hostA, { recursive: true, force: true }); // host A is gone, and its disk with it
  return plan;
}

describe('plan artifacts in PostgreSQL', () => {
  it('another host applies exactly the approved plan file, from the root config it was made with, both fetched from the database', async () => {
    const plan = await planOnGoneHost('shared-a');
    const hostB = hostDir('b');
    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json'], { CREW_DATA_DIR: hostB });
    expect(approved.code, `${approved.stdout}\n${approved.stderr}`).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: plan.id, state: 'DONE', version: 1 });
    // Host B's workspace holds the root config host A rendered, as stored beside the plan file.
    const { rootConfigSha256 } = (await t.plans().get(plan.id)) ?? {};
    expect(rootConfigSha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.query(
      `select convert_from(bytes, 'UTF8') from crew_artifacts where sha256 = '${rootConfigSha256}' and kind = 'rendered-config'`,
    );
    const ws = join(hostB, 'stacks', 'shared-a');
    const onB = Object.fromEntries(
      readdirSync(ws)
        .filter((f) => f.endsWith('.tf.json'))
        .map((f) => [f, readFileSync(join(ws, f), 'utf8')]),
    );
    expect(JSON.parse(stored)).toEqual({ files: onB });
  });

  it('a corrupt artifact row is refused by sha256 and the plan FAILS with that reason', async () => {
    const plan = await planOnGoneHost('shared-b');
    await db.query(`update crew_artifacts set bytes = 'tampered'::bytea where sha256 = '${plan.planSha256}'`);
    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json'], { CREW_DATA_DIR: hostDir('c') });
    expect(approved.code).toBe(2);
    const failed = jsonOf<{ state: string; failure?: string }>(approved);
    expect(failed.state).toBe('FAILED');
    const history = jsonOf<Array<{ to: string; reason: string }>>(await t.crew(['history', plan.id, '--json']));
    expect(history.at(-1)).toMatchObject({
      to: 'FAILED',
      reason: expect.stringMatching(/artifact [0-9a-f]{12} is corrupt.*nothing was applied/),
    });
  });
});
