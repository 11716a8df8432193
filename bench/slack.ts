import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '@slack/bolt';
import { Redis } from 'ioredis';
import { readConfig } from '../src/config/read-config.js';
import { createLogger } from '../src/log/create-logger.js';
import { registerHandlers } from '../handlers/register-handlers.js';
import { startCrew } from '../src/runtime/start-crew.js';
import { toBoltLogger } from '../src/slack/bolt-logger.js';
import { createTriggerGuard } from '../src/slack/claim-once.js';
import { createSlackApp } from '../src/slack/create-slack-app.js';
import { readSlackConfig } from '../src/config/read-slack-settings.js';
import { privateRedis } from './private-redis.js';

// Ack latency of /plan over signed HTTP on loopback: 100 commands at once, against the real
// crew app (signature check, routing, the /plan handler, which publishes to a real Redis after
// its ack) and, in the same run, a bare Bolt app whose /plan only acks.

const CONCURRENCY = 100;
const ROUNDS = 10;
const SECRET = 'bench-signing-secret';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Answers every Web API call and response_url post with ok: the bench measures acks, not Slack. */
async function fakeSlack(): Promise<{ url: string; responds: () => number; close: () => Promise<void> }> {
  let responds = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/respond')) responds += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: true,
          user_id: 'UBENCHBOT',
          bot_id: 'BBENCH',
          team_id: 'TBENCH',
          ts: '1.000001',
          channel: 'CBENCH',
        }),
      );
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    responds: () => responds,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sig,
  };
}

function planBody(i: number, responseUrl: string): string {
  return new URLSearchParams({
    token: 'unused',
    team_id: 'TBENCH',
    team_domain: 'bench',
    channel_id: 'CBENCH',
    channel_name: 'bench',
    user_id: `UBENCH${i % 7}`,
    user_name: 'bench',
    command: '/plan',
    text: `private Ollama on spot g4dn.xlarge, stack bench-${i}`,
    api_app_id: 'ABENCH',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
  }).toString();
}

/** Latencies (ms) of CONCURRENCY simultaneous signed /plan posts to one app. */
async function burst(url: string, responseUrl: string, round: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const body = planBody(round * CONCURRENCY + i, responseUrl);
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: signed(body), body });
      await res.text();
      if (res.status !== 200) throw new Error(`/plan answered ${res.status}`);
      return performance.now() - t0;
    }),
  );
}

/** ROUNDS bursts per app after one warm-up each, alternating so both see the same machine. */
async function measure(
  bareUrl: string,
  crewUrl: string,
  responseUrl: string,
  responds: () => number,
): Promise<{ bare: number[]; crew: number[]; rounds: Array<{ bare: number[]; crew: number[] }> }> {
  const bare: number[] = [];
  const crew: number[] = [];
  const rounds: Array<{ bare: number[]; crew: number[] }> = [];
  // Everything runs in this one process: the crew's work after its acks (plan record, publish,
  // the follow-up answer) must be over before the next burst, or the next app would pay for it.
  const settle = async (answers: number) => {
    while (responds() < answers) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
  };
  for (let round = 0; round <= ROUNDS; round++) {
    const b = await burst(bareUrl, responseUrl, round);
    await settle(round * CONCURRENCY);
    const c = await burst(crewUrl, responseUrl, round);
    await settle((round + 1) * CONCURRENCY);
    if (round === 0) continue;
    bare.push(...b);
    crew.push(...c);
    rounds.push({ bare: [...b].sort((x, y) => x - y), crew: [...c].sort((x, y) => x - y) });
  }
  return { bare: bare.sort((x, y) => x - y), crew: crew.sort((x, y) => x - y), rounds };
}

/** Median and range of some ratios. */
function spread(ratios: number[]): string {
  const sorted = [...ratios].sort((x, y) => x - y);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
  return `median ${mid.toFixed(2)}×, ${(sorted[0] ?? NaN).toFixed(2)}–${(sorted.at(-1) ?? NaN).toFixed(2)}× over ${sorted.length} rounds`;
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;

export async function benchSlack(redisUrl?: string): Promise<string> {
  const slack = await fakeSlack();
  const own = redisUrl ? undefined : await privateRedis();
  const url = redisUrl ?? own!.url;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const logger = createLogger({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-data-'));
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    CREW_SLACK_API_RETRIES: '0',
    CREW_DATA_DIR: dataDir,
  };
  const crew = startCrew({ config: readConfig(env), logger, redis, roles: [], prefix });
  const config = readSlackConfig(env);
  const app = createSlackApp(
    config,
    {
      config,
      ops: crew.ops,
      plans: crew.plans,
      stacks: crew.stacks,
      guard: createTriggerGuard(redis, prefix),
      logger,
      approvers: () => [],
    },
    logger,
    registerHandlers,
  );
  // Same logger and same ack body as the crew app, so the difference is the crew's own work.
  // botId and botUserId given: without them Bolt calls auth.test on every request when token verification is off.
  const bare = new App({
    token: 'xoxb-bench',
    botId: 'BBENCH',
    botUserId: 'UBENCHBOT',
    signingSecret: SECRET,
    clientOptions: { slackApiUrl: slack.url },
    tokenVerificationEnabled: false,
    convoStore: false,
    logger: toBoltLogger(logger),
  });
  bare.command('/plan', async ({ ack, command }) =>
    ack({ response_type: 'ephemeral', text: `Planning: ${command.text}` }),
  );
  try {
    await app.init();
    const crewServer = await app.start({ port: 0, host: '127.0.0.1' });
    const bareServer = await bare.start({ port: 0, host: '127.0.0.1' });
    const at = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/slack/events`;
    const responseUrl = `${slack.url}respond`;
    const {
      bare: bareMs,
      crew: crewMs,
      rounds,
    } = await measure(at(bareServer as Server), at(crewServer as Server), responseUrl, slack.responds);
    const plans = (await crew.plans.recent(10_000)).length;
    const row = (name: string, xs: number[]) =>
      `${name.padEnd(22)} p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms   p99 ${pct(xs, 99).toFixed(1).padStart(7)} ms`;
    return [
      `${CONCURRENCY} concurrent signed /plan posts × ${ROUNDS} rounds per app (after a warm-up, alternating) on loopback; ${plans} plans stored`,
      row('bare Bolt (ack only)', bareMs),
      row('infracrew /plan', crewMs),
      `ratio (infracrew / bare)  p50 ${(pct(crewMs, 50) / pct(bareMs, 50)).toFixed(2)}×   p99 ${(pct(crewMs, 99) / pct(bareMs, 99)).toFixed(2)}×`,
      // One stall of this shared process (a garbage collection, the machine) lands on a whole
      // burst: each round's own ratio shows how much the figure above owes to one round.
      `p99 ratio round by round: ${spread(rounds.map((r) => pct(r.crew, 99) / pct(r.bare, 99)))}`,
    ].join('\n');
  } finally {
    await app.stop().catch(() => undefined);
    await bare.stop().catch(() => undefined);
    await crew.close();
    await redis.quit().catch(() => redis.disconnect());
    await slack.close();
    own?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
