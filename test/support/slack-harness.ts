import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log/create-logger.js';
import type { PlanState } from '../../src/plan/plan-states.js';
import type { PlanRecord } from '../../src/plan/plan-record.js';
import { openCrew } from '../../src/runtime/open-crew.js';
import { startSlackServer, type SlackServer } from '../../src/slack/start-slack-server.js';
import type { FinOpsHooks } from '../../src/slack/slack-deps.js';
import { registerHandlers } from '../../handlers/register-handlers.js';
import { requireBinary, startRedis, type TestRedis } from './redis-server.js';
import { actionBody, formBody, signedPost, SlackStandIn } from './slack-stand-in.js';

export const BOT_TOKEN = 'xoxb-standin-bot';
export const APP_TOKEN = 'xapp-1-standin-app';
export const SECRET = 'standin-signing-secret';
export const REVIEW = 'C0REVIEW';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CAROL = 'U0CAROL';

/** What an HTTP response or a Socket Mode ack carried back. */
export interface Reply {
  status: number;
  body: Record<string, unknown> | undefined;
  ms: number;
}

/** A real Bolt app (via startSlackServer) against the stand-in, a private redis and real terraform. */
export interface SlackHarness {
  mode: 'http' | 'socket';
  redis: TestRedis;
  standIn: SlackStandIn;
  server: SlackServer;
  eventsUrl: string;
  command(fields: Record<string, string>, o?: { retryNum?: number; envelopeId?: string }): Promise<Reply>;
  action(payload: Record<string, unknown>): Promise<Reply>;
  event(payload: Record<string, unknown>): Promise<Reply>;
  plan(id: string): Promise<PlanRecord | undefined>;
  waitForState(id: string, states: PlanState[], timeoutMs?: number): Promise<PlanRecord>;
  close(): Promise<void>;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    return { text };
  }
}

export async function startHarness(
  mode: 'http' | 'socket',
  o: {
    env?: Record<string, string>;
    usergroups?: Record<string, string[]>;
    finops?: FinOpsHooks;
    now?: () => Date;
  } = {},
): Promise<SlackHarness> {
  requireBinary('terraform', 'install Terraform >= 1.4 and put it on PATH');
  const redis = await startRedis({ aof: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-slack-'));
  const standIn = await SlackStandIn.start({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    ...(o.usergroups ? { usergroups: o.usergroups } : {}),
  });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    REDIS_URL: redis.url,
    CREW_DATA_DIR: dataDir,
    CREW_LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: standIn.apiUrl,
    CREW_SLACK_API_RETRIES: '0',
    CREW_REVIEW_CHANNEL: REVIEW,
    CREW_HTTP_HOST: '127.0.0.1',
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SECRET }),
    ...o.env,
  };
  const running = await openCrew({
    env,
    label: 'crew serve',
    logger: createLogger({ level: 'error' }),
    ...(o.now ? { now: o.now } : {}),
  });
  const server = await startSlackServer({
    running,
    registerHandlers,
    httpPort: 0,
    ...(o.finops ? { finops: o.finops } : {}),
    ...(o.now ? { now: o.now } : {}),
  }).catch(async (err: unknown) => {
    await running.close();
    throw err;
  });
  const eventsUrl = `http://127.0.0.1:${server.port ?? 0}/slack/events`;
  const viaHttp = async (body: string, contentType: string, retryNum?: number): Promise<Reply> => {
    const r = await signedPost(eventsUrl, body, {
      secret: SECRET,
      contentType,
      ...(retryNum !== undefined ? { retryNum } : {}),
    });
    return { status: r.status, body: parse(r.text), ms: r.ms };
  };
  const viaSocket = async (
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    x: { retryNum?: number; envelopeId?: string } = {},
  ): Promise<Reply> => {
    const ack = await standIn.sendEnvelope(type, payload, {
      ...(x.retryNum !== undefined ? { retryAttempt: x.retryNum } : {}),
      ...(x.envelopeId ? { envelopeId: x.envelopeId } : {}),
    });
    return { status: 200, body: ack.payload && Object.keys(ack.payload).length ? ack.payload : undefined, ms: ack.ms };
  };
  const plans = server.crew.plans;
  return {
    mode,
    redis,
    standIn,
    server,
    eventsUrl,
    command: (fields, x = {}) =>
      mode === 'http'
        ? viaHttp(formBody(fields), 'application/x-www-form-urlencoded', x.retryNum)
        : viaSocket('slash_commands', fields, x),
    action: (payload) =>
      mode === 'http'
        ? viaHttp(actionBody(payload), 'application/x-www-form-urlencoded')
        : viaSocket('interactive', payload),
    event: (payload) =>
      mode === 'http' ? viaHttp(JSON.stringify(payload), 'application/json') : viaSocket('events_api', payload),
    plan: (id) => plans.get(id),
    waitForState: (id, states, timeoutMs = 40_000) =>
      standIn.waitFor(
        async () => {
          const p = await plans.get(id);
          return p && states.includes(p.state) ? p : undefined;
        },
        `plan ${id} to reach ${states.join('/')}`,
        timeoutMs,
      ),
    close: async () => {
      await server.close();
      await running.close();
      await standIn.close();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The plan id in an ephemeral answer such as "Plan `p-…` submitted". */
export function planIdIn(text: string): string | undefined {
  return /`(p-[a-z0-9]+)`/.exec(text)?.[1];
}

/** Text of the blocks of a message, for assertions on what people see. */
export function blocksText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

/** The Approve / Reject / Rollback button values in a message's blocks. */
export function buttonValue(blocks: unknown[], actionId: string): string | undefined {
  for (const b of blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) {
    const e = b.elements?.find((x) => x.action_id === actionId);
    if (e?.value) return e.value;
  }
  return undefined;
}

/** PNG width and height from the IHDR chunk, after checking the 8-byte signature. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(sig) || bytes.subarray(12, 16).toString('ascii') !== 'IHDR')
    return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
