import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../src/api/create-api-app.js';
import { readApiSettings } from '../../../src/config/read-api-settings.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { escapeHtml } from '../../../src/plan-page/escape-html.js';
import { fullPlanUrl } from '../../../src/plan-page/full-plan-url.js';
import { renderPlanPage } from '../../../src/plan-page/render-plan-page.js';
import { signPlanLink } from '../../../src/plan-page/sign-plan-link.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { makePagePlan, XSS } from '../../support/plan-page-fixture.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

// The plan page through the real API app (fastify's inject) on a real crew over a real Redis:
// who may open it (token, signed link), and that every value on it is escaped and nothing is cut.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
let app: FastifyInstance;
let addresses: string[];
const prefix = `t${randomBytes(4).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const TOKEN = 'carol-token-5566778899';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const PLAN = 'p-page0001';
const logger = createLogger({ level: 'silent' });
const tokens = [{ name: 'carol', sha256: createHash('sha256').update(TOKEN).digest('hex') }];

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-page-'));
  crew = startCrew({ config: readConfig({ CREW_DATA_DIR: dataDir }), logger, redis, prefix, roles: ['conductor'] });
  app = createApiApp({ ops: crew.ops, plans: crew.plans, tokens, logger, linkSecret: SECRET, now: () => NOW });
  addresses = await makePagePlan(crew, dataDir, PLAN, 300);
});
afterAll(async () => {
  await app?.close();
  await crew?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const page = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const link = (id: string, expiresAtSec: number, secret = SECRET) => {
  const q = signPlanLink(secret, id, expiresAtSec);
  return `/plans/${id}?expires=${q.expires}&sig=${q.sig}`;
};
const inAnHour = NOW / 1000 + 3600;

describe('plan page: access', () => {
  it('opens with a bearer token: one HTML page, no script allowed, not cached', async () => {
    const r = await page(`/plans/${PLAN}`, { authorization: `Bearer ${TOKEN}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(r.headers['content-security-policy']).not.toMatch(/script-src/);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('opens with a signed link that has not expired, with no token', async () => {
    const r = await page(link(PLAN, inAnHour));
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`Plan <span class="mono">${PLAN}</span>`);
  });

  it.each([
    ['expired', () => link(PLAN, NOW / 1000 - 1), /expired/],
    ['expiring this very second', () => link(PLAN, NOW / 1000), /expired/],
    [
      'with the expiry moved later',
      () => link(PLAN, inAnHour).replace(/expires=\d+/, `expires=${inAnHour + 86_400}`),
      /signature/,
    ],
    [
      'with one signature character changed',
      () => {
        const u = link(PLAN, inAnHour);
        const last = u.at(-2) === 'A' ? 'B' : 'A';
        return `${u.slice(0, -2)}${last}${u.slice(-1)}`;
      },
      /signature|malformed/,
    ],
    ['signed for another plan', () => link('p-other0001', inAnHour).replace('p-other0001', PLAN), /signature/],
    ['signed with another secret', () => link(PLAN, inAnHour, 'x'.repeat(64)), /signature/],
    ['with no signature', () => `/plans/${PLAN}?expires=${inAnHour}`, /malformed/],
    ['with a non-canonical signature spelling', () => `${link(PLAN, inAnHour)}=`, /malformed|signature/],
  ])('a link %s is 403 problem+json, even with no token', async (_, url, why) => {
    const r = await page(url());
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((r.json() as { detail: string }).detail).toMatch(why);
  });

  it('no token and no link is 401; a link does not open the JSON API', async () => {
    expect((await page(`/plans/${PLAN}`)).statusCode).toBe(401);
    const q = link(PLAN, inAnHour).split('?')[1];
    expect((await page(`/api/v1/plans/${PLAN}?${q}`)).statusCode).toBe(401);
  });

  it('refuses links where no CREW_LINK_SECRET is set (403), tokens still work', async () => {
    const plain = createApiApp({ ops: crew.ops, plans: crew.plans, tokens, logger, now: () => NOW });
    const r = await plain.inject({ method: 'GET', url: link(PLAN, inAnHour) });
    expect(r.statusCode).toBe(403);
    expect((r.json() as { detail: string }).detail).toMatch(/CREW_LINK_SECRET/);
    const t = await plain.inject({
      method: 'GET',
      url: `/plans/${PLAN}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(t.statusCode).toBe(200);
    await plain.close();
  });

  it('is read-only: no other method, and an unknown plan is 404', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const r = await app.inject({ method, url: `/plans/${PLAN}`, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.statusCode, method).toBe(404);
    }
    expect((await page(link('p-nosuch001', inAnHour))).statusCode).toBe(404);
  });
});

describe('plan page: content', () => {
  it('lists every one of 300 changes, the findings with fixes, cost per resource, timeline and audit', async () => {
    const r = await page(link(PLAN, inAnHour));
    // The markup's own line breaks are not content: compare with whitespace runs made one space.
    const body = r.body.replace(/\s+/g, ' ');
    for (const a of addresses) expect(r.body).toContain(escapeHtml(a));
    expect(r.body.match(/<tr>\s*<td class="muted">\d+<\/td>/g)).toHaveLength(300);
    expect(body).toContain('300 resource change(s) listed');
    expect(body).toContain('allow port 22 only from the VPC CIDR');
    expect(body).toContain('AWS-0107');
    expect(body).toContain('compute (spot): 730 hours × $0.02 = $12.00');
    expect(body).toMatch(/\$12\.50\/month<\/b> \(was \$2\.00, \+\$10\.50\)/);
    expect(body).toContain('<b>WAIT_FOR_APPROVE</b>');
    expect(body).toContain('four-eyes: alice requested this plan');
    expect(r.body).not.toContain('Rollback preview');
  });

  it('escapes every value: the planted markup is text, never an element', async () => {
    const r = await page(link(PLAN, inAnHour));
    expect(r.body).not.toContain('<script>');
    expect(r.body).not.toContain('<img');
    expect(r.body).not.toContain('id="injected"');
    // Goal, timeline reason, finding message, audit refusal: four places, all escaped.
    expect(r.body.split(escapeHtml(XSS)).length - 1).toBeGreaterThanOrEqual(4);
  });

  it('shows a rollback preview only when Sentinel has made one, escaped', async () => {
    const plan = (await crew.ops.find(PLAN)) as { ok: true; value: Parameters<typeof renderPlanPage>[0]['plan'] };
    const validation = {
      verdict: 'PASS' as const,
      findings: [],
      cost: { monthlyUsd: 10, previousMonthlyUsd: 4, diffMonthlyUsd: 6, resources: [], unpriced: [] },
      budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 0, ratio: null, brakeRatio: 0.8, brake: false },
    };
    const view = { plan: { ...plan.value, validation }, timeline: [], audit: [], changes: [] };
    expect(renderPlanPage(view)).not.toContain('Rollback preview');
    const rollbackPreview = {
      changes: { create: 1, update: 0, replace: 0, delete: 0 },
      monthlyUsd: 4,
      irreversible: [
        { address: `aws_ebs_volume.data ${XSS}`, type: 'aws_ebs_volume', by: 'plan' as const, label: `gone ${XSS}` },
      ],
    };
    const withPreview = renderPlanPage({
      ...view,
      plan: { ...plan.value, baseVersion: 3, validation: { ...validation, rollbackPreview } },
    });
    expect(withPreview).toContain('returns stack');
    expect(withPreview).toContain('<h2>Rollback preview</h2>');
    expect(withPreview).toContain(`aws_ebs_volume.data ${escapeHtml(XSS)}`);
    expect(withPreview).not.toContain('<script>');
  });
});

describe('plan page: the Slack review link', () => {
  it('is built only with CREW_LINK_SECRET and CREW_PUBLIC_URL, and opens the page until it expires', async () => {
    const settings = readApiSettings({ CREW_LINK_SECRET: SECRET, CREW_PUBLIC_URL: 'https://crew.example.test/' });
    expect(fullPlanUrl({ ...settings, publicUrl: undefined }, PLAN)).toBeUndefined();
    expect(fullPlanUrl({ ...settings, linkSecret: undefined }, PLAN)).toBeUndefined();
    const url = fullPlanUrl(settings, PLAN, NOW)!;
    expect(url).toMatch(new RegExp(`^https://crew\\.example\\.test/plans/${PLAN}\\?expires=\\d+&sig=[\\w-]{43}$`));
    const path = url.replace('https://crew.example.test', '');
    expect((await page(path)).statusCode).toBe(200);
    const later = createApiApp({
      ops: crew.ops,
      plans: crew.plans,
      tokens,
      logger,
      linkSecret: SECRET,
      now: () => NOW + 73 * 3600_000,
    });
    expect((await later.inject({ method: 'GET', url: path })).statusCode).toBe(403);
    await later.close();
  });

  it.each([
    [{ CREW_LINK_SECRET: 'short' }, /CREW_LINK_SECRET is shorter than 32/],
    [{ CREW_PUBLIC_URL: 'javascript:alert(1)' }, /CREW_PUBLIC_URL/],
    [{ CREW_PUBLIC_URL: 'https://crew.example.test/?x=1' }, /CREW_PUBLIC_URL/],
    [{ CREW_LINK_TTL_HOURS: '0' }, /CREW_LINK_TTL_HOURS/],
  ])('refuses bad link settings at start-up: %o', (env, message) => {
    expect(() => readApiSettings(env)).toThrow(message);
  });
});
