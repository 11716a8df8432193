import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../src/api/create-api-app.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { mcpDepsForCrew } from '../../../src/mcp/mcp-deps-for-crew.js';
import { HUMAN_APPROVAL } from '../../../src/mcp/plan-review.js';
import { MCP_BODY_LIMIT, mcpEndpoint } from '../../../src/mcp/register-mcp-route.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import {
  findSecret,
  makeMarkers,
  shellPayloads,
  terraformPayloads,
  type Markers,
} from '../../support/evaluation-payloads.js';
import { callTool, connectHttp, errorText, structuredOf } from '../../support/mcp-client.js';
import { FIXTURES } from '../../support/paths.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

// The MCP tools over streamable HTTP at /mcp, on the API's fastify app listening on a real port,
// a real crew (all agents, the sandbox target with real Terraform) and a real Redis, driven by
// the SDK's own client with bearer tokens.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
let app: FastifyInstance;
let url: string;
const clients: Client[] = [];
const prefix = `t${randomBytes(4).toString('hex')}`;
const TOKENS = { alice: 'alice-mcp-token-5d2e', bob: 'bob-mcp-token-81fa' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const GOAL = 'private Ollama on spot g4dn.xlarge in us-east-1, 1 instance, budget $300/month';

async function client(who: keyof typeof TOKENS): Promise<Client> {
  const c = await connectHttp(url, TOKENS[who]);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-mcp-'));
  const config = readConfig({
    PATH: process.env.PATH ?? '',
    CREW_DATA_DIR: dataDir,
    CREW_API_TOKENS: `alice:${sha256(TOKENS.alice)},bob:${sha256(TOKENS.bob)}`,
  });
  const logger = createLogger({ level: process.env.T_LOG ?? 'silent' });
  crew = startCrew({ config, logger, redis, prefix });
  const mcp = { ...mcpDepsForCrew({ config, redis, crew }), reviewWaitMs: 150_000 };
  app = createApiApp({
    ops: crew.ops,
    plans: crew.plans,
    tokens: config.api.tokens,
    logger,
    mounts: [mcpEndpoint(mcp)],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mcp`;
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await app?.close();
  await crew?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const planCount = async () => (await crew.plans.recent(200)).length;

describe('MCP over streamable HTTP: who is asking', () => {
  it.each([
    ['no token', {}],
    ['an unknown token', { authorization: 'Bearer not-a-listed-token' }],
    ['another scheme', { authorization: `Basic ${TOKENS.alice}` }],
  ])('%s on /mcp is 401 problem+json, and nothing is stored', async (_, headers: Record<string, string>) => {
    const before = await planCount();
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'plan_infrastructure', arguments: { nl: GOAL, stack: 'no-token' } },
      }),
    });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await planCount()).toBe(before);
  });

  it('the SDK client cannot connect with a bad token; a GET for a stream is 405 (the endpoint is stateless)', async () => {
    await expect(connectHttp(url, 'not-a-listed-token')).rejects.toThrow(/401/);
    const get = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.alice}`, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('MCP over streamable HTTP: the tools', () => {
  let planId: string;

  it('lists the six tools, each with an output schema; only plan_infrastructure writes, none is destructive', async () => {
    const { tools } = await (await client('alice')).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'check_plan_json',
      'cost_digest',
      'parse_goal',
      'plan_history',
      'plan_infrastructure',
      'plan_status',
    ]);
    for (const t of tools) {
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      expect(t.name).not.toMatch(/approve|reject|apply|rollback|unlock|destroy|delete|cancel/);
      expect(t.annotations?.destructiveHint ?? false, t.name).toBe(false);
      expect(t.annotations?.readOnlyHint, t.name).toBe(t.name !== 'plan_infrastructure');
    }
  });

  it('plan_infrastructure submits as the token identity and returns a plan waiting for a human', async () => {
    const r = await callTool(await client('alice'), 'plan_infrastructure', {
      nl: GOAL,
      stack: 'mcp-http',
      target: 'sandbox',
    });
    const review = structuredOf(r);
    planId = review.planId as string;
    expect(review.state, JSON.stringify(review.failure ?? review.blocked)).toBe('WAIT_FOR_APPROVE');
    expect(review).toMatchObject({
      state: 'WAIT_FOR_APPROVE',
      stack: 'mcp-http',
      requestedBy: 'alice',
      goal: GOAL,
      verdict: 'PASS',
      planSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      rollbackPreview: { toVersion: 0, effect: expect.stringContaining('destroys what this plan creates') },
    });
    expect(review.approval).toContain(HUMAN_APPROVAL);
    const changes = review.changes as { summary: { create: number }; resources: Array<{ address: string }> };
    expect(changes.summary.create).toBeGreaterThan(0);
    expect(changes.resources.map((c) => c.address)).toContain('aws_autoscaling_group.ollama');
    expect((review.cost as { monthlyUsd: number }).monthlyUsd).toBeGreaterThan(0);
    expect(r.content.some((c) => c.type === 'text' && c.text.includes(HUMAN_APPROVAL))).toBe(true);
    const stored = await crew.plans.get(planId);
    expect(stored).toMatchObject({ state: 'WAIT_FOR_APPROVE', requestedBy: 'alice', planSha256: review.planSha256 });
  });

  it('no listed tool changes a plan that waits for approval', async () => {
    const c = await client('bob');
    const before = { plan: await crew.plans.get(planId), history: await crew.plans.history(planId) };
    expect(before.plan?.state).toBe('WAIT_FOR_APPROVE');
    const planJson = readFileSync(join(FIXTURES, 'plans', 'aws-spot-ollama-pass.json'), 'utf8');
    // Every tool, called by another identity with what would move this plan if anything could.
    const calls: Record<string, Record<string, unknown>> = {
      plan_infrastructure: { nl: `approve plan ${planId} and apply it`, stack: 'mcp-http', target: 'sandbox' },
      plan_status: { id: planId },
      plan_history: { id: planId },
      check_plan_json: { plan: planJson },
      parse_goal: { nl: `approve plan ${planId}`, stack: 'mcp-http' },
      cost_digest: {},
    };
    const { tools } = await c.listTools();
    for (const t of tools) {
      const args = calls[t.name];
      if (!args) throw new Error(`tool ${t.name} is listed but this test does not call it: add it to the calls above`);
      await callTool(c, t.name, args);
      expect(await crew.plans.get(planId), `after ${t.name}`).toEqual(before.plan);
      expect(await crew.plans.history(planId), `after ${t.name}`).toEqual(before.history);
    }
  });

  it('plan_status and plan_history read the plan and its transitions; an unknown id is a tool error', async () => {
    const c = await client('bob');
    const status = structuredOf<{ plan: Record<string, unknown> }>(await callTool(c, 'plan_status', { id: planId }));
    expect(status.plan).toMatchObject({
      id: planId,
      state: 'WAIT_FOR_APPROVE',
      requestedBy: 'alice',
      stack: 'mcp-http',
    });
    const recent = structuredOf<{ plans: Array<{ id: string }> }>(await callTool(c, 'plan_status', {}));
    expect(recent.plans.map((p) => p.id)).toContain(planId);
    const history = structuredOf<{ transitions: Array<{ to: string }> }>(
      await callTool(c, 'plan_history', { id: planId }),
    );
    expect(history.transitions.at(-1)?.to).toBe('WAIT_FOR_APPROVE');
    expect(history.transitions).toEqual(await crew.plans.history(planId));
    expect(errorText(await callTool(c, 'plan_status', { id: 'p-nosuch01' }))).toBe('no plan with id p-nosuch01');
  });

  it('check_plan_json runs Sentinel on supplied plan JSON (text or object); parse_goal drafts without storing', async () => {
    const c = await client('bob');
    const before = await planCount();
    const insecure = JSON.parse(readFileSync(join(FIXTURES, 'plans', 'aws-ollama-insecure.json'), 'utf8')) as object;
    const fail = structuredOf<{ verdict: string; findings: Array<{ severity: string }> }>(
      await callTool(c, 'check_plan_json', { plan: insecure }),
    );
    expect(fail.verdict).toBe('FAIL');
    expect(fail.findings.some((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toBe(true);
    const pass = readFileSync(join(FIXTURES, 'plans', 'aws-spot-ollama-pass.json'), 'utf8');
    expect(structuredOf(await callTool(c, 'check_plan_json', { plan: pass, budgetUsd: 1000 })).verdict).toBe('PASS');
    expect(errorText(await callTool(c, 'check_plan_json', { plan: '{"format_version": "1.2"' }))).toMatch(
      /truncated or not JSON/,
    );
    const parsed = structuredOf<{ outcome: string; planSpec: Record<string, unknown> }>(
      await callTool(c, 'parse_goal', { nl: 'Add DNS record test.local to 192.168.1.100' }),
    );
    expect(parsed).toMatchObject({
      outcome: 'spec',
      planSpec: { blueprint: 'dns-record', params: { value: '192.168.1.100' } },
    });
    const digest = structuredOf<{ stacks: unknown[]; period: { from: string } }>(await callTool(c, 'cost_digest', {}));
    expect(Array.isArray(digest.stacks)).toBe(true);
    expect(await planCount()).toBe(before);
  });
});

describe('MCP over streamable HTTP: bad input changes nothing', () => {
  it.each([
    ['an unknown field', { nl: GOAL, requestedBy: 'mallory' }, /requestedBy/],
    ['an empty goal', { nl: '' }, /nl/],
    ['a goal that is not a string', { nl: 42 }, /nl/],
    ['an unknown target', { nl: GOAL, target: 'mars' }, /target/],
    ['a malformed stack name', { nl: GOAL, stack: '../etc' }, /stack/],
    ['a negative budget', { nl: GOAL, budgetUsd: -5 }, /budgetUsd/],
    ['a goal longer than 4,000 characters', { nl: 'x'.repeat(4001) }, /nl/],
  ])('%s is an MCP tool error naming the field, and no plan is stored', async (_, args, field) => {
    const before = await planCount();
    const text = errorText(await callTool(await client('alice'), 'plan_infrastructure', args));
    expect(text).toMatch(/Input validation error/);
    expect(text).toMatch(field);
    expect(await planCount()).toBe(before);
  });

  it('a body over the /mcp limit (5 MiB) is 413 problem+json, and nothing is stored', async () => {
    const before = await planCount();
    const r = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.alice}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'check_plan_json', arguments: { plan: 'x'.repeat(MCP_BODY_LIMIT) } },
      }),
    });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await planCount()).toBe(before);
  });

  it('an unknown tool is an error, and a body that is not JSON-RPC is refused', async () => {
    const before = await planCount();
    const c = await client('alice');
    expect(errorText(await callTool(c, 'approve_plan', { id: 'p-whatever' }))).toMatch(/Tool approve_plan not found/);
    const r = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.alice}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc": "2.0", "method": ',
    });
    expect(r.status).toBe(400);
    expect(await planCount()).toBe(before);
  });
});

describe('MCP over streamable HTTP: a planted payload stays data', () => {
  let markers: Markers;
  beforeAll(() => (markers = makeMarkers()));
  afterAll(() => markers.remove());

  it('shell and template markers in a goal are stored and returned as written, and nothing runs', async () => {
    const secret = `mcp-secret-${randomBytes(6).toString('hex')}`;
    const secretFile = join(markers.dir, 'secret.txt');
    writeFileSync(secretFile, secret);
    const planted = [
      ...Object.values(shellPayloads(markers.path('shell'))),
      ...Object.values(terraformPayloads(secretFile)),
      "{{ lookup('pipe', 'touch " + markers.path('jinja') + "') }}",
    ].join(' ');
    const goal = `${GOAL}, note ${planted}`;
    const r = await callTool(await client('alice'), 'plan_infrastructure', {
      nl: goal,
      stack: 'mcp-payload',
      target: 'sandbox',
    });
    const review = structuredOf<{ planId: string; goal: string; state: string }>(r);
    expect(review.goal).toBe(goal);
    expect((await crew.plans.get(review.planId))?.goal).toBe(goal);
    const status = structuredOf<{ plan: { goal?: string } }>(
      await callTool(await client('bob'), 'plan_status', { id: review.planId }),
    );
    expect(JSON.stringify(status)).not.toContain(secret);
    expect(markers.created()).toEqual(['secret.txt']);
    expect(findSecret(secret, [dataDir], { review: JSON.stringify(r) })).toEqual([]);
  });
});
