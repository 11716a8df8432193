import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../src/api/start-api-server.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { fullPlanUrl } from '../../../src/plan-page/full-plan-url.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { launchChromium } from '../../support/chromium.js';
import { makePagePlan, XSS } from '../../support/plan-page-fixture.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

// The plan page in a real browser: Debian's headless chromium, driven by playwright-core, opens the
// signed link the Slack review carries, from the API listening on a loopback port.

let server: TestRedis;
let redis: Redis;
let dir: string;
let crew: CrewRuntime;
let api: ApiServer;
let browser: Browser;
let addresses: string[];
let base: string;
const PLAN = 'p-browse001';
const SECRET = randomBytes(32).toString('hex');

beforeAll(async () => {
  browser = await launchChromium();
  server = await startRedis({ aof: false });
  redis = server.client();
  dir = mkdtempSync(join(tmpdir(), 'crew-browser-'));
  const logger = createLogger({ level: 'silent' });
  const config = readConfig({ CREW_DATA_DIR: dir });
  crew = startCrew({ config, logger, redis, prefix: `t${randomBytes(4).toString('hex')}`, roles: ['conductor'] });
  api = await startApiServer({
    ops: crew.ops,
    plans: crew.plans,
    tokens: [],
    logger,
    linkSecret: SECRET,
    host: '127.0.0.1',
    port: 0,
  });
  base = `http://127.0.0.1:${api.port}`;
  addresses = await makePagePlan(crew, dir, PLAN, 300);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await crew?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const link = (nowMs = Date.now()) =>
  fullPlanUrl({ linkSecret: SECRET, publicUrl: base, linkTtlSec: 3600 }, PLAN, nowMs)!;

describe('plan page in headless chromium', () => {
  it('shows every one of 300 changes, runs none of the planted markup, and screenshots', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const r = await page.goto(link());
    expect(r?.status()).toBe(200);
    const text = await page.locator('body').innerText();
    for (const a of addresses) expect(text).toContain(a);
    expect(await page.locator('#changes tbody tr').count()).toBe(300);
    // The payload is shown as text and made no element and ran nothing.
    expect(await page.locator('#goal').innerText()).toBe(`Add DNS records ${XSS}`);
    expect(await page.locator('#injected, img, script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    for (const h of ['Provenance', 'Timeline', 'Findings', 'Cost per resource', 'Terraform changes', 'Audit'])
      expect(await page.locator('h2', { hasText: h }).count(), h).toBe(1);
    const shot = join(dir, 'plan-page.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('an expired or altered link is 403', async () => {
    const page = await browser.newPage();
    const expired = await page.goto(link(Date.now() - 2 * 3600_000));
    expect(expired?.status()).toBe(403);
    expect(await page.locator('body').innerText()).toMatch(/expired/);
    const good = link();
    const altered = good.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 60}`);
    expect((await page.goto(altered))?.status()).toBe(403);
    const otherPlan = good.replace(PLAN, 'p-browse002');
    expect((await page.goto(otherPlan))?.status()).toBe(403);
    await page.close();
  });
});
