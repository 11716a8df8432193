import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockProblems, Bucket, SLACK_LIMITS, type SlackLimits } from './slack-limits.js';

// A Slack stand-in on 127.0.0.1, faithful to the wire (see platform-facts.md): the Web API
// (`POST /api/<method>`, form or JSON bodies, `Authorization: Bearer`, HTTP 200 JSON with
// `ok`), the external file upload URL, response_url endpoints and Socket Mode over `ws`.

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  thread_ts?: string;
}

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
  title?: string;
  channel?: string;
  thread_ts?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to receiving its ack. */
  ms: number;
}

export interface StandInOptions {
  botToken: string;
  appToken?: string;
  usergroups?: Record<string, string[]>;
  /** How often the server pings Socket Mode clients; Slack's clients expect one within 30 s. */
  pingMs?: number;
  /** Rate limits and budgets (Slack's by default); `rateLimits: false` turns the rate limits off. */
  limits?: Partial<SlackLimits>;
  rateLimits?: boolean;
  /** The clock rate limits are counted by (milliseconds). */
  now?: () => number;
}

/** A call Slack refused before handling it: HTTP 429 with Retry-After. */
export interface LimitedCall {
  method: string;
  channel: string;
  retryAfter: number;
  at: number;
}

// Web API fields that travel as JSON strings inside form bodies.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function parseArgs(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  if (contentType.startsWith('application/json'))
    return raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form.entries()) out[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    return out;
  }
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    out[k] = JSON_FIELDS.has(k) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export class SlackStandIn {
  readonly calls: ApiCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly files = new Map<string, StoredFile>();
  /** Bodies POSTed to response_url endpoints, by id. */
  readonly responses: Array<{ id: string; body: Record<string, unknown>; at: number }> = [];
  readonly acks: SocketAck[] = [];
  /** Calls answered 429 (not in `calls`). */
  readonly limited: LimitedCall[] = [];
  /** Calls answered ok:false for a budget (invalid_blocks, msg_too_long, msg_blocks_too_long). */
  readonly refused: Array<ApiCall & { error: string; messages: string[] }> = [];
  readonly limits: SlackLimits;
  port = 0;
  /** Modals opened with views.open, by view id (as Slack returns them). */
  readonly views = new Map<string, Record<string, unknown>>();
  private readonly usedTriggers = new Set<string>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly forced = new Map<string, number[]>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, { sent: number; resolve: (a: SocketAck) => void }>();
  private seq = 0;
  private ping?: NodeJS.Timeout;

  private constructor(private readonly o: StandInOptions) {
    this.limits = { ...SLACK_LIMITS, ...o.limits };
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  static async start(o: StandInOptions): Promise<SlackStandIn> {
    const s = new SlackStandIn(o);
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.port = (s.server.address() as AddressInfo).port;
    s.ping = setInterval(() => s.sockets.forEach((ws) => ws.ping()), o.pingMs ?? 5_000);
    return s;
  }

  /** Base URL for `slackApiUrl` (ends with a slash, as the WebClient expects). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/respond/${randomBytes(6).toString('hex')}`;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `check` returns something truthy; fails with `what` after the timeout. */
  async waitFor<T>(
    check: () => T | undefined | false | Promise<T | undefined | false>,
    what: string,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Answers the next `count` calls to `method` with HTTP 429 and `Retry-After: retryAfter`. */
  rateLimitNext(method: string, count = 1, retryAfter = 1): void {
    this.forced.set(method, [...(this.forced.get(method) ?? []), ...Array<number>(count).fill(retryAfter)]);
  }

  /** Seconds the caller must wait, or 0 when the call may go (forced 429s first, then the limits). */
  private retryAfter(method: string, channel: string, now: number): number {
    const forced = this.forced.get(method);
    if (forced?.length) return forced.shift()!;
    if (this.o.rateLimits === false) return 0;
    const bucket = (key: string, perSecond: number, burst: number) => {
      let b = this.buckets.get(key);
      if (!b) this.buckets.set(key, (b = new Bucket(perSecond, burst, now)));
      return b.take(now);
    };
    if (method === 'chat.postMessage' && channel) {
      const { perSecond, burst } = this.limits.postMessage;
      return Math.ceil(bucket(`post:${channel}`, perSecond, burst));
    }
    const perMinute = this.limits.perMinute[method];
    return perMinute ? Math.ceil(bucket(`tier:${method}`, perMinute / 60, perMinute)) : 0;
  }

  /** Slack's budget answers for a message: invalid_blocks, msg_blocks_too_long, msg_too_long. */
  private budgetError(method: string, a: Record<string, unknown>): { error: string; messages: string[] } | undefined {
    if (!['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(method)) return undefined;
    if (typeof a.text === 'string' && a.text.length > this.limits.textChars)
      return { error: 'msg_too_long', messages: [] };
    if (a.blocks === undefined) return undefined;
    if (typeof a.blocks === 'string') return { error: 'invalid_blocks_format', messages: [] };
    const problems = blockProblems(a.blocks);
    if (problems.length) return { error: 'invalid_blocks', messages: problems };
    if (JSON.stringify(a.blocks).length > this.limits.blocksJsonChars)
      return { error: 'msg_blocks_too_long', messages: [] };
    return undefined;
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const raw = await readBody(req);
    const ct = req.headers['content-type'] ?? '';
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.startsWith('/respond/')) {
      this.responses.push({
        id: url.slice('/respond/'.length),
        body: JSON.parse(raw.toString('utf8') || '{}'),
        at: Date.now(),
      });
      return json(200, { ok: true });
    }
    if (req.method === 'POST' && url.startsWith('/upload/')) {
      const file = this.files.get(url.slice('/upload/'.length));
      if (!file) return json(404, { ok: false });
      const form = ct.startsWith('multipart/form-data') ? await parseArgs(raw, ct) : { body: raw };
      const bytes = Object.values(form).find((v): v is Buffer => Buffer.isBuffer(v));
      file.bytes = bytes ?? raw;
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(`OK - ${file.bytes.length}`);
    }
    const m = /^\/api\/([\w.]+)/.exec(url);
    if (req.method !== 'POST' || !m?.[1]) return json(404, { ok: false, error: 'unknown_url' });
    const args = await parseArgs(raw, ct);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const now = (this.o.now ?? Date.now)();
    const channel = String(args.channel ?? args.channel_id ?? '');
    const wait = token ? this.retryAfter(m[1], channel, now) : 0;
    if (wait > 0) {
      this.limited.push({ method: m[1], channel, retryAfter: wait, at: now });
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(wait) });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const call = { method: m[1], args, token, at: now };
    const bad = token ? this.budgetError(m[1], args) : undefined;
    if (bad) {
      this.refused.push({ ...call, ...bad });
      return json(200, {
        ok: false,
        error: bad.error,
        ...(bad.messages.length ? { response_metadata: { messages: bad.messages } } : {}),
      });
    }
    this.calls.push(call);
    json(200, this.answer(m[1], args, token));
  }

  private answer(method: string, a: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    const wanted = method === 'apps.connections.open' ? this.o.appToken : this.o.botToken;
    if (token !== wanted) return { ok: false, error: 'invalid_auth' };
    const channel = String(a.channel ?? a.channel_id ?? '');
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://standin.slack.test/',
          team: 'Stand-in',
          user: 'crewbot',
          team_id: 'T0STANDIN',
          user_id: 'U0CREWBOT',
          bot_id: 'B0CREWBOT',
        };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const msg: StoredMessage = {
          channel,
          ts,
          text: String(a.text ?? ''),
          blocks: (a.blocks as unknown[]) ?? [],
          ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
        };
        this.messages.set(ts, msg);
        return {
          ok: true,
          channel,
          ts,
          message: { type: 'message', ts, text: msg.text, blocks: msg.blocks, bot_id: 'B0CREWBOT' },
        };
      }
      case 'chat.update': {
        const msg = this.messages.get(String(a.ts));
        if (!msg || msg.channel !== channel) return { ok: false, error: 'message_not_found' };
        msg.text = String(a.text ?? msg.text);
        msg.blocks = (a.blocks as unknown[]) ?? msg.blocks;
        return { ok: true, channel, ts: msg.ts, text: msg.text, message: { text: msg.text, blocks: msg.blocks } };
      }
      case 'chat.postEphemeral':
        return channel && a.user ? { ok: true, message_ts: this.nextTs() } : { ok: false, error: 'channel_not_found' };
      case 'views.open': {
        // A trigger_id is good once, for 3 seconds after the interaction that carried it.
        const trigger = String(a.trigger_id ?? '');
        const issued = Number(trigger.split('.')[0]);
        if (!/^[0-9]+\.[0-9a-f]+$/.test(trigger)) return { ok: false, error: 'invalid_trigger_id' };
        if (this.usedTriggers.has(trigger)) return { ok: false, error: 'exchanged_trigger_id' };
        if (Date.now() - issued > 3_000) return { ok: false, error: 'expired_trigger_id' };
        const view = a.view as Record<string, unknown> | undefined;
        if (!view || view.type !== 'modal' || !Array.isArray(view.blocks))
          return { ok: false, error: 'invalid_arguments' };
        this.usedTriggers.add(trigger);
        const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
        const opened = { id, team_id: TEAM, state: { values: {} }, hash: `${Date.now()}.${id}`, ...view };
        this.views.set(id, opened);
        return { ok: true, view: opened };
      }
      case 'views.publish':
        return { ok: true, view: { id: `V${this.seq++}`, ...(a.view as object) } };
      case 'files.getUploadURLExternal': {
        const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
        this.files.set(id, { id, filename: String(a.filename), length: Number(a.length) });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = (Array.isArray(a.files) ? a.files : []) as Array<{ id: string; title?: string }>;
        for (const f of list) {
          const stored = this.files.get(f.id);
          if (!stored?.bytes) return { ok: false, error: 'file_not_found' };
          Object.assign(stored, {
            ...(f.title ? { title: f.title } : {}),
            ...(channel ? { channel } : {}),
            ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
          });
        }
        return { ok: true, files: list.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'usergroups.users.list': {
        const users = this.o.usergroups?.[String(a.usergroup)];
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${randomBytes(8).toString('hex')}` };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const msg = safeJson(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      const w = msg.envelope_id ? this.waiting.get(msg.envelope_id) : undefined;
      if (!w || !msg.envelope_id) return;
      this.waiting.delete(msg.envelope_id);
      const ack: SocketAck = {
        envelope_id: msg.envelope_id,
        ...(msg.payload ? { payload: msg.payload } : {}),
        ms: Date.now() - w.sent,
      };
      this.acks.push(ack);
      w.resolve(ack);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'standin', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0STANDIN' },
      }),
    );
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  /** Sends one Socket Mode envelope to the newest connection and resolves with its ack. */
  sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    o: { envelopeId?: string; retryAttempt?: number } = {},
  ): Promise<SocketAck> {
    const ws = [...this.sockets].at(-1);
    if (!ws) return Promise.reject(new Error('no Socket Mode client is connected'));
    const envelope_id = o.envelopeId ?? randomBytes(8).toString('hex');
    const envelope = {
      envelope_id,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api'
        ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryAttempt ? 'timeout' : '' }
        : o.retryAttempt
          ? { retry_attempt: o.retryAttempt, retry_reason: 'timeout' }
          : {}),
    };
    return new Promise((resolve) => {
      this.waiting.set(envelope_id, { sent: Date.now(), resolve });
      ws.send(JSON.stringify(envelope));
    });
  }

  async close(): Promise<void> {
    clearInterval(this.ping);
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/* ---------- payloads as Slack sends them ---------- */

export const TEAM = 'T0STANDIN';

export function commandFields(o: {
  command: string;
  text: string;
  user: string;
  channel: string;
  responseUrl: string;
  triggerId?: string;
}): Record<string, string> {
  return {
    token: 'verification-token-unused',
    team_id: TEAM,
    team_domain: 'standin',
    channel_id: o.channel,
    channel_name: 'infra',
    user_id: o.user,
    user_name: o.user.toLowerCase(),
    command: o.command,
    text: o.text,
    api_app_id: 'A0STANDIN',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? `${Date.now()}.${randomBytes(4).toString('hex')}`,
  };
}

export function blockActionsPayload(o: {
  user: string;
  actionId: string;
  value: string;
  channel: string;
  messageTs: string;
  responseUrl: string;
  actionTs?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    team: { id: TEAM, domain: 'standin' },
    channel: { id: o.channel, name: 'infra-reviews' },
    message: { type: 'message', ts: o.messageTs, text: 'review', bot_id: 'B0CREWBOT' },
    response_url: o.responseUrl,
    actions: [
      {
        action_id: o.actionId,
        block_id: 'review',
        type: 'button',
        value: o.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: o.actionTs ?? `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
}

/** A modal's submission: the opened view with the person's input in `state.values`. */
export function viewSubmissionPayload(o: {
  user: string;
  view: Record<string, unknown>;
  values: Record<string, Record<string, string>>;
}): Record<string, unknown> {
  const values = Object.fromEntries(
    Object.entries(o.values).map(([block, inputs]) => [
      block,
      Object.fromEntries(
        Object.entries(inputs).map(([action, value]) => [action, { type: 'plain_text_input', value }]),
      ),
    ]),
  );
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'standin' },
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'verification-token-unused',
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    view: { ...o.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function homeOpenedPayload(user: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    token: 'verification-token-unused',
    team_id: TEAM,
    api_app_id: 'A0STANDIN',
    type: 'event_callback',
    event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: `${now}.000100` },
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: now,
    authorizations: [{ team_id: TEAM, user_id: 'U0CREWBOT', is_bot: true }],
  };
}

/* ---------- signed HTTP requests, as Slack sends them to an HTTP-mode app ---------- */

export interface SignedPostOptions {
  secret: string;
  /** Seconds since the epoch; older than 5 minutes is a replay. */
  timestamp?: number;
  /** Replaces the computed signature (forgeries); null sends none. */
  signature?: string | null;
  retryNum?: number;
  contentType?: string;
}

export function signBody(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a body the way Slack does: signed, with the exact content type, the raw string as sent. */
export async function signedPost(
  url: string,
  body: string,
  o: SignedPostOptions,
): Promise<{ status: number; text: string; ms: number }> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    ...(o.signature === null ? {} : { 'x-slack-signature': o.signature ?? signBody(o.secret, ts, body) }),
    ...(o.retryNum !== undefined
      ? { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {}),
  };
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

export const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
export const actionBody = (payload: Record<string, unknown>): string =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** An Events API `message` event: a person's post, in a thread when `threadTs` is given. */
export function messagePayload(o: {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
}): Record<string, unknown> {
  const now = Date.now() / 1000;
  const ts = `${Math.floor(now)}.${String(Math.floor((now % 1) * 1e6)).padStart(6, '0')}`;
  return {
    token: 'verification-token-unused',
    team_id: TEAM,
    api_app_id: 'A0STANDIN',
    type: 'event_callback',
    event: {
      type: 'message',
      channel: o.channel,
      user: o.user,
      text: o.text,
      ts,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
      channel_type: 'channel',
      event_ts: ts,
    },
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(now),
    authorizations: [{ team_id: TEAM, user_id: 'U0CREWBOT', is_bot: true }],
  };
}
