import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createLogger } from '../../../src/log/create-logger.js';
import { createTriggerGuard } from '../../../src/slack/claim-once.js';
import { ReviewThreads } from '../../../src/slack/post-review.js';
import { ChannelPace } from '../../../src/slack/pace-channel.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SlackStandIn } from '../../support/slack-stand-in.js';
import { scalePlan } from '../../support/scale-plan.js';

const CHANNEL = 'C0REVIEW';
let redis: TestRedis;
let standIn: SlackStandIn;
let client: webApi.WebClient;
let plans: PlanStore;
let dir: string;
// One pace per process, as crew serve has: posts to a channel wait for Slack's allowance.
const pace = new ChannelPace();

function threadsFor(fullPlanUrl?: (id: string) => string): ReviewThreads {
  return new ReviewThreads({
    client,
    plans,
    guard: createTriggerGuard(redis.client()),
    logger: createLogger({ level: 'error' }),
    reviewChannel: CHANNEL,
    approverEntries: ['U0BOB'],
    pace,
    ...(fullPlanUrl ? { fullPlanUrl } : {}),
  });
}

async function store(plan: ReturnType<typeof scalePlan>): Promise<void> {
  const { state: _s, createdAt: _c, updatedAt: _u, ...rest } = plan;
  await plans.create(rest);
  await plans.patch(plan.id, {
    summary: plan.summary!,
    validation: plan.validation!,
    planSha256: plan.planSha256!,
    planJson: plan.planJson!,
    stack: 'ollama-big',
  });
}

const slackError = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { data?: { error?: string; response_metadata?: { messages?: string[] } } }) =>
      [e.data?.error, ...(e.data?.response_metadata?.messages ?? [])].join(' '),
  );

beforeAll(async () => {
  redis = await startRedis({ aof: false });
  standIn = await SlackStandIn.start({ botToken: 'xoxb-t' });
  client = new webApi.WebClient('xoxb-t', {
    slackApiUrl: standIn.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  plans = new PlanStore({ redis: redis.client() });
  dir = mkdtempSync(join(tmpdir(), 'crew-budgets-'));
});
afterAll(async () => {
  await standIn?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Slack stand-in answers as Slack does', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('refuses blocks and text over the budgets with Slack’s error codes', async () => {
    const post = (args: Record<string, unknown>) =>
      slackError(
        client.chat.postMessage({ channel: 'C0LIMITS', text: 'x', ...args } as webApi.ChatPostMessageArguments),
      );
    expect(await post({ blocks: Array.from({ length: 51 }, () => section('a')) })).toBe(
      'invalid_blocks [ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    );
    expect(await post({ blocks: [section('a'), section('b'.repeat(3001))] })).toBe(
      'invalid_blocks [ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]',
    );
    // Each block valid, the whole past what Slack takes in practice.
    expect(await post({ blocks: Array.from({ length: 6 }, () => section('c'.repeat(2900))) })).toBe(
      'msg_blocks_too_long',
    );
    expect(await post({ text: 'd'.repeat(40_001) })).toBe('msg_too_long');
    expect(standIn.refused.map((r) => r.error)).toEqual([
      'invalid_blocks',
      'invalid_blocks',
      'msg_blocks_too_long',
      'msg_too_long',
    ]);
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers HTTP 429 ratelimited with Retry-After past about one post a second per channel', async () => {
    // A stopped clock: the answers depend on the count of posts, not on how fast this machine is.
    let now = 1_000_000;
    const slack = await SlackStandIn.start({ botToken: 'xoxb-t', now: () => now });
    const web = new webApi.WebClient('xoxb-t', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    try {
      const post = (channel: string) =>
        web.chat.postMessage({ channel, text: 'm' }).then(
          () => 'ok',
          (e: { code?: string; retryAfter?: number }) => `${e.code}:${e.retryAfter}`,
        );
      const results: string[] = [];
      for (let i = 0; i < 6; i++) results.push(await post('C0BURST'));
      expect(results).toEqual([
        ...Array<string>(4).fill('ok'),
        'slack_webapi_rate_limited_error:1',
        'slack_webapi_rate_limited_error:1',
      ]);
      // Another channel has its own allowance; a second later the channel has one post again.
      expect(await post('C0OTHER')).toBe('ok');
      const raw = await fetch(`${slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C0BURST&text=again',
      });
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('1');
      expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
      now += 1000;
      expect([await post('C0BURST'), await post('C0BURST')]).toEqual(['ok', 'slack_webapi_rate_limited_error:1']);
      expect(slack.limited.map((l) => l.channel)).toEqual(['C0BURST', 'C0BURST', 'C0BURST', 'C0BURST']);
    } finally {
      await slack.close();
    }
  });
});

describe('a review of 500 changes and 200 findings', () => {
  it('fits one message the strict stand-in accepts: destroys and blocking findings first, counts, the rest in a file', async () => {
    const plan = scalePlan(dir, 'p-scale500');
    await store(plan);
    await threadsFor((id) => `https://crew.example/plans/${id}`).onTransition(plan.id, {
      from: 'READY_FOR_APPLY',
      to: 'WAIT_FOR_APPROVE',
      by: 'conductor',
      detail: 'review posted',
    });
    expect(standIn.refused.filter((r) => r.args.channel === CHANNEL)).toEqual([]);
    const root = [...standIn.messages.values()].find((m) => m.channel === CHANNEL && !m.thread_ts)!;
    const update = standIn.callsTo('chat.update').at(-1)!;
    const blocks = update.args.blocks as Array<{ type: string; text?: { text: string }; elements?: unknown[] }>;
    expect(root.blocks).toEqual(blocks);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks).length).toBeLessThan(11_500);
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    const texts = blocks.map((b) => b.text?.text ?? '');

    const changes = texts.find((t) => t.startsWith('*Changes:*'))!;
    const sum = plan.summary!;
    expect([sum.replace, sum.delete]).toEqual([10, 10]);
    expect(changes.split('\n')[0]).toBe(
      `*Changes:* ${sum.create} to add, ${sum.update} to change, 10 to replace, 10 to destroy`,
    );
    const rows = changes.split('\n').filter((l) => l.startsWith('•'));
    // All 20 destroys and replacements come before any create or update.
    expect(rows.slice(0, 20).every((r) => /`delete(\/create)?`/.test(r))).toBe(true);
    expect(rows.slice(20).some((r) => /`delete/.test(r))).toBe(false);
    expect(changes).toMatch(/… \d+ more in the attached file$/);

    const findings = texts.find((t) => t.startsWith('*Sentinel:*'))!;
    expect(findings.split('\n')[0]).toBe('*Sentinel:* :red_circle: FAIL — 200 finding(s), 5 blocking');
    const frows = findings.split('\n').filter((l) => l.startsWith('•'));
    expect(frows.slice(0, 5).every((r) => /\*(HIGH|CRITICAL)\* `CREW_SG_OPEN_INGRESS`/.test(r))).toBe(true);
    expect(frows.slice(5).some((r) => r.includes('CREW_SG_OPEN_INGRESS'))).toBe(false);

    expect(texts).toContain(':page_facing_up: *Full plan:* <https://crew.example/plans/p-scale500|plan p-scale500>');
    expect(texts).toContain(':pencil2: *State:* `DRAFTING`');

    const file = [...standIn.files.values()].find((f) => f.filename === `${plan.id}-review.txt`)!;
    expect(file.thread_ts).toBe(root.ts);
    const text = file.bytes!.toString('utf8');
    expect(text).toContain('All findings (200)');
    expect(text).toContain('Resource changes (500)');
    expect(text).toContain('aws_instance.node_499');
  });

  it('links only http(s) plan pages, with Slack’s link characters encoded', async () => {
    const plan = scalePlan(dir, 'p-scalelnk', 3, 2);
    await store(plan);
    await threadsFor(() => 'javascript:alert(1)').onTransition(plan.id, { to: 'WAIT_FOR_APPROVE', detail: 'x' });
    const evil = JSON.stringify(standIn.callsTo('chat.update').at(-1)!.args.blocks);
    expect(evil).not.toContain('Full plan');
    await threadsFor(() => 'https://crew.example/p?a=1|<!channel>').onTransition(plan.id, {
      to: 'WAIT_FOR_APPROVE',
      detail: 'y',
    });
    const link = JSON.stringify(standIn.callsTo('chat.update').at(-1)!.args.blocks);
    expect(link).toContain('<https://crew.example/p?a=1%7C%3C!channel%3E|plan p-scalelnk>');
  });
});
