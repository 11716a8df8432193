import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { PATH_TO_ROLLED_BACK } from '../../support/plan-paths.js';

let t: CrewEnv;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await makeCrewEnv({ CREW_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db.name}` });
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface AuditOut {
  planId: string;
  kind: string;
  seq?: number;
  from?: string;
  to?: string;
  actor: string;
  surface?: string;
  reason: string;
  stack?: string;
  planSha256?: string;
  at: string;
}

describe('the audit trail in PostgreSQL (CREW_DATABASE_URL)', () => {
  it('holds every transition, refusal and decision of plan → approve → rollback; crew audit reads it', async () => {
    const since = new Date().toISOString();
    const goal = 'private Ollama on spot g4dn.xlarge in us-east-1, budget $300/month, stack audit-e2e';
    const planned = await t.crew(['plan', goal, '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<{ id: string; state: string; planSha256: string }>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    // The plan file, plan JSON and root config are in PostgreSQL, by sha256, for a worker on any host.
    const stored = await db.query(`select kind from crew_artifacts where plan_id = '${plan.id}' order by kind`);
    expect(stored.split('\n')).toEqual(['plan-file', 'plan-json', 'rendered-config']);
    expect(await db.query(`select count(*) from crew_artifacts where sha256 = '${plan.planSha256}'`)).toBe('1');
    expect((await t.crew(['approve', plan.id, '--as', 'alice'])).code).toBe(3);
    const approved = await t.crew(['approve', plan.id, '--as', 'bob']);
    expect(approved.code, approved.stderr).toBe(0);
    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice']);
    expect(rolled.code, rolled.stderr).toBe(0);

    const all = await t.crew(['audit', '--since', since, '--json']);
    expect(all.code, all.stderr).toBe(0);
    const rows = jsonOf<AuditOut[]>(all).filter((r) => r.planId === plan.id);
    const transitions = rows.filter((r) => r.kind === 'transition');
    expect(transitions.map((r) => `${r.seq}:${r.to}`)).toEqual(PATH_TO_ROLLED_BACK.map((to, i) => `${i + 1}:${to}`));
    expect(transitions.every((r) => r.stack === 'audit-e2e')).toBe(true);
    expect(transitions.find((r) => r.to === 'APPLYING')).toMatchObject({ actor: 'bob', planSha256: plan.planSha256 });
    expect(transitions.find((r) => r.to === 'ROLLBACK')?.actor).toBe('alice');
    // The surface behind each step: the people's steps came from the CLI, the crew's own are system.
    expect(transitions.map((r) => `${r.to}:${r.surface}`)).toEqual([
      'PENDING:system',
      'IN_PROGRESS:system',
      'VALIDATING:system',
      'READY_FOR_APPLY:system',
      'WAIT_FOR_APPROVE:system',
      'APPLYING:cli',
      'DONE:system',
      'ROLLBACK:cli',
      'ROLLED_BACK:system',
    ]);
    // The self-approval was refused and recorded; bob's approval was accepted.
    const decisions = rows.filter((r) => r.kind !== 'transition');
    expect(decisions.some((r) => r.actor === 'alice' && /different person/.test(r.reason))).toBe(true);
    expect(decisions.some((r) => r.kind === 'decision' && r.actor === 'bob' && r.reason === 'accepted')).toBe(true);

    const csv = await t.crew(['audit', '--since', since, '--actor', 'bob', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('at,planId,kind,seq,from,to,event,actor,surface,stack,planSha256,reason');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',bob,'))).toBe(true);

    const otherStack = await t.crew(['audit', '--since', since, '--stack', 'not-this-one']);
    expect(otherStack.stdout.trim()).toBe('no audit entries');
    const later = await t.crew(['audit', '--since', new Date(Date.now() + 60_000).toISOString(), '--json']);
    expect(jsonOf(later)).toEqual([]);
  });

  it('stops with a clear message and exit 1 when PostgreSQL is down at start', async () => {
    const down = { CREW_DATABASE_URL: 'postgres://crew:s3cret@127.0.0.1:1/crew' };
    // A command that joins the crew opens the database first; `crew status` reads only Redis.
    const plan = ['plan', 'private Ollama on spot g4dn.xlarge, stack pg-down', '--as', 'alice'];
    for (const args of [plan, ['audit', '--since', '2026-01-01T00:00:00Z']]) {
      const r = await t.crew(args, down);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('PostgreSQL at 127.0.0.1:1/crew (CREW_DATABASE_URL) is not reachable');
      expect(r.stderr).not.toContain('s3cret');
    }
  });

  it('says where the audit trail is when CREW_DATABASE_URL is not set', async () => {
    const r = await t.crew(['audit', '--since', '2026-01-01T00:00:00Z'], { CREW_DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set CREW_DATABASE_URL');
  });
});
