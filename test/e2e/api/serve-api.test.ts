import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../../support/redis-server.js';
import { CREW_BIN } from '../../support/run-crew.js';
import { SlackStandIn } from '../../support/slack-stand-in.js';

// `crew serve` with CREW_API_PORT set serves the HTTP API beside Slack, and stops both on SIGTERM.

let redis: TestRedis;
let standIn: SlackStandIn;
let dataDir: string;
beforeAll(async () => {
  redis = await startRedis({ aof: false });
  standIn = await SlackStandIn.start({ botToken: 'xoxb-serve-api' });
  dataDir = mkdtempSync(join(tmpdir(), 'crew-serve-api-'));
});
afterAll(async () => {
  await standIn?.close();
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crew serve with CREW_API_PORT', () => {
  it('answers the API beside Slack and shuts both down on SIGTERM', async () => {
    const [slackPort, apiPort] = [await freePort(), await freePort()];
    const token = 'serve-api-token-31d2';
    const proc = execa('node', [CREW_BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: redis.url,
        CREW_DATA_DIR: dataDir,
        CREW_LOG_LEVEL: 'error',
        SLACK_BOT_TOKEN: 'xoxb-serve-api',
        SLACK_SIGNING_SECRET: 'serve-secret',
        SLACK_API_URL: standIn.apiUrl,
        CREW_SLACK_API_RETRIES: '0',
        CREW_HTTP_PORT: String(slackPort),
        CREW_HTTP_HOST: '127.0.0.1',
        CREW_API_PORT: String(apiPort),
        CREW_API_TOKENS: `ops:${createHash('sha256').update(token).digest('hex')}`,
      },
      reject: false,
      stdin: 'ignore',
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await standIn.waitFor(
      () => stderr.includes('HTTP API at'),
      `crew serve to serve the API (stderr: ${stderr})`,
      20_000,
    );
    const url = `http://127.0.0.1:${apiPort}/api/v1/plans`;
    expect((await fetch(url)).status).toBe(401);
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([]);
    proc.kill('SIGTERM');
    const done = await proc;
    expect(done.exitCode, stderr).toBe(0);
    expect(`${done.stdout}${stderr}`).not.toContain(token);
  }, 60_000);
});
