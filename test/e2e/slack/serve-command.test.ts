import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../../support/redis-server.js';
import { CREW_BIN, runCrew } from '../../support/run-crew.js';
import { commandFields, formBody, signedPost, SlackStandIn } from '../../support/slack-stand-in.js';

let redis: TestRedis;
let standIn: SlackStandIn;
let dataDir: string;
beforeAll(async () => {
  redis = await startRedis({ aof: false });
  standIn = await SlackStandIn.start({ botToken: 'xoxb-serve' });
  dataDir = mkdtempSync(join(tmpdir(), 'crew-serve-'));
});
afterAll(async () => {
  await standIn?.close();
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The environment of a `crew serve` on signed HTTP at `port`, talking to the Slack stand-in. */
const serveEnv = (port: number): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  REDIS_URL: redis.url,
  CREW_DATA_DIR: dataDir,
  CREW_LOG_LEVEL: 'error',
  SLACK_BOT_TOKEN: 'xoxb-serve',
  SLACK_SIGNING_SECRET: 'serve-secret',
  SLACK_API_URL: standIn.apiUrl,
  CREW_SLACK_API_RETRIES: '0',
  CREW_HTTP_PORT: String(port),
  CREW_HTTP_HOST: '127.0.0.1',
});

describe('crew serve (the built CLI)', () => {
  it('exits 1 without tokens, explaining how to create the app from the manifest', async () => {
    const r = await runCrew(['serve'], { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, CREW_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SLACK_BOT_TOKEN');
    expect(r.stderr).toContain('manifests/slack-app.yaml');
  });

  it('serves signed HTTP and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = execa('node', [CREW_BIN, 'serve'], {
      env: serveEnv(port),
      reject: false,
      stdin: 'ignore',
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await standIn.waitFor(
      () => stderr.includes('serving Slack over HTTP'),
      `crew serve to listen (stderr: ${stderr})`,
      20_000,
    );
    expect(standIn.callsTo('auth.test')).toHaveLength(1);
    const body = formBody(
      commandFields({
        command: '/crew',
        text: 'help',
        user: 'U0ALICE',
        channel: 'C0REVIEW',
        responseUrl: standIn.responseUrl(),
      }),
    );
    const r = await signedPost(`http://127.0.0.1:${port}/slack/events`, body, { secret: 'serve-secret' });
    expect(r.status).toBe(200);
    const t0 = Date.now();
    proc.kill('SIGTERM');
    const done = await proc;
    expect(done.exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(stderr).toContain('SIGTERM, shutting down');
  });

  it('links each review to its plan page with a signed link that opens it', async () => {
    const [port, apiPort] = [await freePort(), await freePort()];
    const proc = execa('node', [CREW_BIN, 'serve'], {
      env: {
        ...serveEnv(port),
        CREW_REVIEW_CHANNEL: 'C0REVIEW',
        CREW_API_PORT: String(apiPort),
        CREW_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
        CREW_LINK_SECRET: 'l'.repeat(40),
      },
      reject: false,
      stdin: 'ignore',
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await standIn.waitFor(() => stderr.includes('serving Slack over HTTP'), `crew serve (stderr: ${stderr})`, 60_000);
      const body = formBody(
        commandFields({
          command: '/plan',
          text: 'private Ollama on spot g4dn.xlarge, stack ollama-linked',
          user: 'U0ALICE',
          channel: 'C0REVIEW',
          responseUrl: standIn.responseUrl(),
        }),
      );
      const r = await signedPost(`http://127.0.0.1:${port}/slack/events`, body, { secret: 'serve-secret' });
      expect(r.status).toBe(200);
      const link = await standIn.waitFor(
        () => {
          const texts = [...standIn.callsTo('chat.postMessage'), ...standIn.callsTo('chat.update')]
            .filter((c) => c.args.channel === 'C0REVIEW')
            .map((c) => JSON.stringify(c.args.blocks ?? []));
          for (const t of texts) {
            const m = /<(http:\/\/127\.0\.0\.1:\d+\/plans\/[^|>]+)\|plan p-/.exec(t);
            if (m) return m[1]!.replace(/&amp;/g, '&');
          }
          return undefined;
        },
        `a review carrying a "Full plan" link (stderr: ${stderr})`,
        120_000,
      );
      expect(link).toMatch(/\/plans\/p-[a-z0-9]+\?expires=\d+&sig=/);
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('ollama-linked');
      // The same link with its signature altered is refused.
      const altered = await fetch(link.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')));
      expect(altered.status).toBe(403);
    } finally {
      proc.kill('SIGTERM');
      await proc;
    }
  });
});
