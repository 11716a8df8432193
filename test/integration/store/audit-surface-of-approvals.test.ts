import { Command } from 'commander';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiApp } from '../../../src/api/create-api-app.js';
import { registerDecideCommands } from '../../../src/cli/commands/decide-command.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import type { CrewRuntime } from '../../../src/runtime/start-crew.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { ALICE, BOB, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { commandFields } from '../../support/slack-stand-in.js';
import { waitFor } from '../../support/wait-for.js';
import { restoreEnv } from '../../support/restore-env.js';

// One crew with its audit trail in PostgreSQL (crew_audit), approached the three ways people
// decide: Slack's /approve (the real Bolt app over signed HTTP), the HTTP API (fastify inject) and
// `crew approve` (the command in this process, a crew of its own on the same Redis and database).
// Each decision, its refusal of the requester and the move to APPLYING record that surface; what
// the crew does on its own after (Forge refusing a plan file that was never saved) is `system`.

let h: SlackHarness;
let db: TestDatabase;
let crew: CrewRuntime;
let api: FastifyInstance;
let cliDir: string;
const saved = { ...process.env };
const SHA = 'e'.repeat(64);
const TOKENS = { alice: 'alice-token-0123456789', bob: 'bob-token-9876543210' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  db = await createTestDatabase();
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${db.name}`;
  h = await startHarness('http', { env: { CREW_DATABASE_URL: databaseUrl } });
  crew = h.server.crew;
  const { api: settings } = readConfig({
    CREW_API_TOKENS: `alice:${sha256(TOKENS.alice)},bob:${sha256(TOKENS.bob)}`,
  });
  api = createApiApp({
    ops: crew.ops,
    plans: crew.plans,
    tokens: settings.tokens,
    logger: createLogger({ level: 'silent' }),
  });
  cliDir = mkdtempSync(join(tmpdir(), 'crew-cli-'));
  Object.assign(process.env, {
    REDIS_URL: h.redis.url,
    CREW_DATA_DIR: cliDir,
    CREW_DATABASE_URL: databaseUrl,
    CREW_LOG_LEVEL: 'error',
  });
});
afterAll(async () => {
  restoreEnv(saved);
  process.exitCode = undefined;
  await api?.close();
  await h?.close();
  await db?.drop();
  if (cliDir) rmSync(cliDir, { recursive: true, force: true });
});

/** A plan at its review, with a plan file no Forge ever saved (so the apply is refused, quickly). */
async function waitingPlan(requestedBy: string): Promise<string> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  await crew.plans.create({ id, goal: 'g', requestedBy, stack: id });
  expect(await crew.lock.acquire(id, id, async () => false)).toEqual({ ok: true });
  const summary = { create: 1, update: 0, replace: 0, delete: 0, noop: 0 };
  const planFile = { path: join(cliDir, `${id}.tfplan`), sha256: SHA };
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
    await crew.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: SHA, planFile, summary } : {});
  return id;
}

async function slackApprove(user: string, id: string): Promise<void> {
  const responseUrl = h.standIn.responseUrl();
  const ack = await h.command(
    commandFields({ command: '/approve', text: `${id} ${SHA.slice(0, 12)}`, user, channel: REVIEW, responseUrl }),
  );
  expect(ack.status).toBe(200);
  // The answer comes once the decision was judged (refused at once, or handed to the Conductor).
  await h.standIn.waitFor(() => h.standIn.responses.some((r) => responseUrl.endsWith(r.id)), 'the /approve answer');
}

function apiApprove(who: keyof typeof TOKENS, id: string) {
  return api.inject({
    method: 'POST',
    url: `/api/v1/plans/${id}/approve`,
    headers: { authorization: `Bearer ${TOKENS[who]}` },
    payload: { planSha256: SHA },
  });
}

/** `crew approve` in this process; its exit code. */
async function cliApprove(as: string, id: string): Promise<number | undefined> {
  const program = new Command().exitOverride();
  registerDecideCommands(program);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'crew', 'approve', id, '--as', as, '--sha', SHA.slice(0, 12), '--timeout', '60']);
    return typeof process.exitCode === 'number' ? process.exitCode : undefined;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

/** The audit rows of a plan in PostgreSQL that a person's decision or the crew's answer to it wrote. */
async function decisionRows(id: string): Promise<string[]> {
  const rows = await db.query(
    `select kind || ' ' || coalesce(to_state, event) || ' ' || coalesce(surface, '-') from crew_audit
       where plan_id = '${id}' and (kind <> 'transition' or to_state in ('APPLYING', 'FAILED')) order by 1`,
  );
  return rows ? rows.split('\n') : [];
}

const expected = (surface: string) =>
  [
    `decision approve ${surface}`,
    `refusal approve ${surface}`,
    `transition APPLYING ${surface}`,
    'transition FAILED system',
  ].sort();

describe('crew_audit records the surface a decision came through', () => {
  it('a Slack approval, an API approval and a CLI approval each write theirs; the crew’s own steps are system', async () => {
    const viaSlack = await waitingPlan(ALICE);
    const viaApi = await waitingPlan('alice');
    const viaCli = await waitingPlan('alice');

    await slackApprove(ALICE, viaSlack); // the requester: refused (four-eyes)
    await slackApprove(BOB, viaSlack);
    expect((await apiApprove('alice', viaApi)).statusCode).toBe(403);
    expect((await apiApprove('bob', viaApi)).statusCode).toBe(202);
    expect(await cliApprove('alice', viaCli)).toBe(3);
    // Forge refuses the plan file no Forge saved: FAILED, exit 2.
    expect(await cliApprove('bob', viaCli)).toBe(2);

    for (const [id, surface] of [
      [viaSlack, 'slack'],
      [viaApi, 'api'],
      [viaCli, 'cli'],
    ] as const) {
      await h.waitForState(id, ['FAILED']);
      const rows = await waitFor(
        async () => {
          const got = await decisionRows(id);
          return got.length >= 4 ? got : undefined;
        },
        { what: `the audit rows of ${id} in PostgreSQL`, timeoutMs: 20_000 },
      );
      expect(rows, id).toEqual(expected(surface));
    }
    // The walk to the review was nobody's surface: system.
    expect(await db.query(`select distinct surface from crew_audit where to_state = 'PENDING'`)).toBe('system');
  });
});
