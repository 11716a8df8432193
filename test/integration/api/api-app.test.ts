import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../src/api/create-api-app.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

// The HTTP API fed requests with no network (fastify's inject), on a real crew over a real Redis:
// authentication, validation and problem+json, and the approval rules the other surfaces follow.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
let app: FastifyInstance;
const prefix = `t${randomBytes(4).toString('hex')}`;
const SHA = 'c'.repeat(64);
const TOKENS = { alice: 'alice-token-0123456789', bob: 'bob-token-9876543210' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const auth = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-api-'));
  const config = readConfig({
    CREW_DATA_DIR: dataDir,
    CREW_API_TOKENS: `alice:${sha256(TOKENS.alice)},bob:${sha256(TOKENS.bob)}`,
  });
  const logger = createLogger({ level: 'silent' });
  // The Conductor only: goals stay drafting, which is all these requests need.
  crew = startCrew({ config, logger, redis, prefix, roles: ['conductor'] });
  app = createApiApp({ ops: crew.ops, plans: crew.plans, tokens: config.api.tokens, logger });
});
afterAll(async () => {
  await app.close();
  await crew.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitingPlan(id: string, requestedBy = 'alice', deletes = 0): Promise<void> {
  await crew.plans.create({ id, goal: 'g', requestedBy, stack: id });
  expect(await crew.lock.acquire(id, id, async () => false)).toEqual({ ok: true });
  const summary = { create: 0, update: 0, replace: 0, delete: deletes, noop: 0 };
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
    await crew.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: SHA, summary } : {});
}

const planCount = async () => (await crew.plans.recent(200)).length;

function expectProblem(r: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.json()).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
}

describe('HTTP API: who is asking', () => {
  it.each([
    ['no token', {}],
    ['an unknown token', { authorization: 'Bearer not-a-listed-token' }],
    ['another scheme', { authorization: `Basic ${TOKENS.alice}` }],
  ])('%s is 401 problem+json', async (_, headers) => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/plans', headers });
    expectProblem(r, 401);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('HTTP API: rate limit per identity', () => {
  it('answers 429 problem+json with Retry-After past the limit, for that identity only', async () => {
    let t = 0;
    const logger = createLogger({ level: 'silent' });
    const tokens = [
      { name: 'alice', sha256: sha256(TOKENS.alice) },
      { name: 'bob', sha256: sha256(TOKENS.bob) },
    ];
    const limited = createApiApp({ ops: crew.ops, plans: crew.plans, tokens, logger, ratePerMinute: 2, now: () => t });
    const get = (who: keyof typeof TOKENS) =>
      limited.inject({ method: 'GET', url: '/api/v1/plans', headers: auth(who) });
    expect((await get('alice')).statusCode).toBe(200);
    expect((await get('alice')).statusCode).toBe(200);
    const third = await get('alice');
    expectProblem(third, 429);
    expect(third.headers['retry-after']).toBe('60');
    expect((await get('bob')).statusCode).toBe(200);
    t += 60_000;
    expect((await get('alice')).statusCode).toBe(200);
    await limited.close();
  });
});

describe('HTTP API: bad input changes nothing', () => {
  const bad: Array<[string, string | Buffer, number]> = [
    ['malformed JSON', '{"nl": ', 400],
    ['an unknown field', JSON.stringify({ nl: 'a dns record', admin: true }), 400],
    ['a missing goal', JSON.stringify({ stack: 'web' }), 400],
    ['a wrong type', JSON.stringify({ nl: 'x', budgetUsd: '300' }), 400],
    ['an unknown target', JSON.stringify({ nl: 'x', target: 'mars' }), 400],
    ['a 1 MB body', JSON.stringify({ nl: 'x'.repeat(1024 * 1024) }), 413],
  ];
  it.each(bad)('%s is %i problem+json and stores no plan', async (_, payload, status) => {
    const before = await planCount();
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/intent',
      headers: { ...auth('alice'), 'content-type': 'application/json' },
      payload,
    });
    expectProblem(r, status);
    expect(await planCount()).toBe(before);
  });

  it('names an unknown field, and refuses a body that is not JSON with 415', async () => {
    const before = await planCount();
    const extra = await app.inject({
      method: 'POST',
      url: '/api/v1/intent',
      headers: auth('alice'),
      payload: { nl: 'a dns record', requestedBy: 'mallory' },
    });
    expectProblem(extra, 400);
    expect(extra.json()).toMatchObject({ type: 'about:blank', detail: 'body has an unknown field "requestedBy"' });
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/intent',
      headers: { ...auth('alice'), 'content-type': 'text/plain' },
      payload: 'a dns record',
    });
    expectProblem(text, 415);
    expect(await planCount()).toBe(before);
  });

  it('an unknown route is 404 problem+json; a malformed plan id 400', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/nothing', headers: auth('alice') }), 404);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/plans/NOT_AN_ID', headers: auth('alice') }), 400);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/plans/p-nosuch01', headers: auth('alice') }), 404);
  });
});

describe('HTTP API: plans', () => {
  it('POST /intent submits the goal as the token identity: 202 with the plan id, state and links', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/intent',
      headers: auth('alice'),
      payload: { nl: 'Add DNS record test.local to 192.168.1.100', target: 'sandbox', stack: 'dns-lab' },
    });
    expect(r.statusCode).toBe(202);
    const body = r.json<{ planId: string; state: string; links: Record<string, string> }>();
    expect(body).toMatchObject({ state: 'DRAFTING', links: { self: `/api/v1/plans/${body.planId}` } });
    expect(r.headers.location).toBe(body.links.self);
    const got = await app.inject({ method: 'GET', url: body.links.self, headers: auth('bob') });
    expect(got.json()).toMatchObject({ id: body.planId, requestedBy: 'alice', stack: 'dns-lab', state: 'DRAFTING' });
    const list = await app.inject({ method: 'GET', url: '/api/v1/plans?limit=5', headers: auth('bob') });
    expect(list.json<Array<{ id: string }>>().map((p) => p.id)).toContain(body.planId);
  });

  it('approve: the requester is refused (403, four-eyes), a stale sha is 409 with the current one, then 202', async () => {
    const id = `p-${randomBytes(4).toString('hex')}`;
    await waitingPlan(id);
    const url = `/api/v1/plans/${id}/approve`;
    const own = await app.inject({ method: 'POST', url, headers: auth('alice'), payload: { planSha256: SHA } });
    expectProblem(own, 403);
    expect(own.json<{ detail: string }>().detail).toMatch(/four-eyes/);
    const stale = await app.inject({
      method: 'POST',
      url,
      headers: auth('bob'),
      payload: { planSha256: 'd'.repeat(64) },
    });
    expectProblem(stale, 409);
    expect(stale.json()).toMatchObject({ currentPlanSha256: SHA, state: 'WAIT_FOR_APPROVE' });
    const extra = await app.inject({ method: 'POST', url, headers: auth('bob'), payload: { planSha256: SHA, x: 1 } });
    expectProblem(extra, 400);
    const good = await app.inject({ method: 'POST', url, headers: auth('bob'), payload: { planSha256: SHA } });
    expect(good.statusCode).toBe(202);
    expect(good.json()).toMatchObject({ planId: id, decision: 'approve', planSha256: SHA });
    // The Conductor's verdict on the decision, at the link the 202 gave.
    const decisionUrl = good.json<{ links: { decision: string } }>().links.decision;
    const verdict = await waitFor(async () => {
      const d = await app.inject({ method: 'GET', url: decisionUrl, headers: auth('alice') });
      return d.json<{ pending?: boolean }>().pending ? undefined : d.json();
    });
    expect(verdict).toMatchObject({ accepted: true, by: 'bob', decision: 'approve', planSha256: SHA });
    const audit = await crew.plans.auditLog(id);
    expect(audit.map((a) => a.by)).toEqual(expect.arrayContaining(['alice', 'bob']));
    const history = await app.inject({ method: 'GET', url: `/api/v1/plans/${id}/history`, headers: auth('bob') });
    expect(history.json<Array<{ to: string }>>().map((t) => t.to)).toContain('WAIT_FOR_APPROVE');
  });

  it('approve of a destructive plan needs "confirm" naming the stack: 403 with confirmStack, then 202', async () => {
    const id = `p-${randomBytes(4).toString('hex')}`;
    await waitingPlan(id, 'alice', 2);
    const url = `/api/v1/plans/${id}/approve`;
    const bare = await app.inject({ method: 'POST', url, headers: auth('bob'), payload: { planSha256: SHA } });
    expectProblem(bare, 403);
    expect(bare.json()).toMatchObject({
      detail: expect.stringContaining(`plan ${id} deletes/replaces 2 resources: confirm with --confirm ${id}`),
      confirmStack: id,
    });
    const wrong = await app.inject({
      method: 'POST',
      url,
      headers: auth('bob'),
      payload: { planSha256: SHA, confirm: 'another-stack' },
    });
    expectProblem(wrong, 403);
    expect(await crew.plans.approvals(id)).toEqual([]);
    const good = await app.inject({
      method: 'POST',
      url,
      headers: auth('bob'),
      payload: { planSha256: SHA, confirm: id },
    });
    expect(good.statusCode).toBe(202);
  });

  it('rollback of a plan that is not applied is 409; reject by the requester is accepted', async () => {
    const id = `p-${randomBytes(4).toString('hex')}`;
    await waitingPlan(id);
    const rb = await app.inject({
      method: 'POST',
      url: `/api/v1/plans/${id}/rollback`,
      headers: auth('alice'),
      payload: {},
    });
    expectProblem(rb, 409);
    const rj = await app.inject({
      method: 'POST',
      url: `/api/v1/plans/${id}/reject`,
      headers: auth('alice'),
      payload: { planSha256: SHA, reason: 'not now' },
    });
    expect(rj.statusCode).toBe(202);
  });
});
