import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';

// A crew with no BIND server (CREW_DNS_SERVER unset), as the quick start runs: a DNS goal is read
// and queued like any other, and its plan fails saying what to set, with nothing changed. It
// said "blueprint dns-record cannot be built here yet".

let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-no-dns-'));
  const config = readConfig({ CREW_DATA_DIR: dataDir, PATH: process.env.PATH ?? '' });
  expect(config.dnsTarget).toBeUndefined();
  crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
  });
});

afterAll(async () => {
  await crew?.close();
  redis?.disconnect();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a DNS record on a crew without a DNS server', () => {
  it('fails the plan saying which settings it needs, and applies nothing', async () => {
    const r = await crew.ops.submitGoal(
      { text: 'add DNS record app.lab.local to 10.0.0.6', requestedBy: 'alice' },
      'test',
    );
    if (!r.ok) throw new Error(r.refusal);
    const plan = await waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], {
      timeoutMs: 30_000,
    });
    expect(plan.state).toBe('FAILED');
    expect(plan.failure).toMatch(
      /DNS records need a BIND server, and this crew has none: set CREW_DNS_SERVER and the CREW_DNS_TSIG_\* variables/,
    );
    expect(plan.failure).toContain('docs/dns.md');
    expect((await crew.plans.history(plan.id)).map((t) => t.to)).not.toContain('APPLYING');
    // Nothing recorded as applied on the stack.
    expect(await crew.stacks.version(plan.stack ?? '', 1)).toBeUndefined();
  });
});
