import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createLogger } from '../../../src/log/create-logger.js';
import { createTriggerGuard } from '../../../src/slack/claim-once.js';
import { ChannelPace } from '../../../src/slack/pace-channel.js';
import { ReviewThreads, type TransitionNote } from '../../../src/slack/post-review.js';
import { ReplyOutbox } from '../../../src/slack/reply-outbox.js';
import { ReplyOutboxStore } from '../../../src/store/reply-outbox-store.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SlackStandIn, type StoredMessage } from '../../support/slack-stand-in.js';
import { bigPlan } from '../../support/plan-fixtures.js';

const CHANNEL = 'C0REVIEW';
const STATES = ['DRAFTING', 'PENDING', 'IN_PROGRESS', 'VALIDATING', 'READY_FOR_APPLY', 'WAIT_FOR_APPROVE'];
let redis: TestRedis;
let standIn: SlackStandIn;
let plans: PlanStore;
let threads: ReviewThreads;
let store: ReplyOutboxStore;

const logger = createLogger({ level: 'silent' });
const notes = (): TransitionNote[] =>
  STATES.slice(1).map((to, i) => ({ from: STATES[i], to, by: 'conductor', detail: `step ${i + 1}` }));

async function newPlan(id: string): Promise<void> {
  const { state: _s, createdAt: _c, updatedAt: _u, ...rest } = bigPlan(1, 0, id).plan;
  await plans.create(rest);
}

const rootOf = (id: string) =>
  [...standIn.messages.values()].find((m) => m.channel === CHANNEL && !m.thread_ts && m.text.includes(id));
const threadOf = (root: StoredMessage) => [...standIn.messages.values()].filter((m) => m.thread_ts === root.ts);
/** Each transition line in the thread, in the order posted. */
const lines = (root: StoredMessage) => threadOf(root).flatMap((m) => m.text.split('\n'));

beforeAll(async () => {
  redis = await startRedis({ aof: false });
  standIn = await SlackStandIn.start({ botToken: 'xoxb-t' });
  // As the test harness runs crew serve: the client gives up on a 429 at once, the outbox retries.
  const client = new webApi.WebClient('xoxb-t', {
    slackApiUrl: standIn.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  plans = new PlanStore({ redis: redis.client() });
  threads = new ReviewThreads({
    client,
    plans,
    guard: createTriggerGuard(redis.client()),
    logger,
    reviewChannel: CHANNEL,
    approverEntries: [],
    pace: new ChannelPace(),
  });
  store = new ReplyOutboxStore({ redis: redis.client() });
});
afterAll(async () => {
  await standIn?.close();
  await redis?.stop();
});

describe('review-thread replies', () => {
  it('coalesces a burst of transitions into one reply and one edit, the root showing the last state', async () => {
    await newPlan('p-burst001');
    const outbox = new ReplyOutbox({ store, threads, logger, coalesceMs: 300 });
    const updatesBefore = standIn.callsTo('chat.update').length;
    for (const [i, note] of notes().entries()) {
      await plans.patch('p-burst001', { stack: `stack-v${i + 1}` });
      await outbox.onTransition('p-burst001', note);
    }
    await outbox.idle();
    const root = rootOf('p-burst001')!;
    expect(threadOf(root)).toHaveLength(1);
    expect(lines(root)).toEqual(notes().map((n) => `\`${n.from}\` → \`${n.to}\` by conductor: ${n.detail}`));
    expect(standIn.callsTo('chat.update').length - updatesBefore).toBe(1);
    expect(JSON.stringify(root.blocks)).toContain('stack-v5');
    expect(await store.due(Number.POSITIVE_INFINITY)).not.toContain('p-burst001');
    await outbox.close();
  });

  it('retries after a 429 (Retry-After) on the edit and on the reply: nothing lost, order kept', async () => {
    await newPlan('p-limit001');
    const outbox = new ReplyOutbox({ store, threads, logger, coalesceMs: 100 });
    const [first, ...rest] = notes();
    await outbox.onTransition('p-limit001', first!);
    await outbox.idle();
    const root = rootOf('p-limit001')!;
    standIn.rateLimitNext('chat.update', 1, 1);
    standIn.rateLimitNext('chat.postMessage', 1, 1);
    const limitedBefore = standIn.limited.length;
    for (const note of rest) await outbox.onTransition('p-limit001', note);
    await outbox.idle();
    expect(standIn.limited.slice(limitedBefore).map((l) => [l.method, l.retryAfter])).toEqual([
      ['chat.update', 1],
      ['chat.postMessage', 1],
    ]);
    expect(lines(root)).toEqual(notes().map((n) => `\`${n.from}\` → \`${n.to}\` by conductor: ${n.detail}`));
    await outbox.close();
  });

  it('posts what a stopped process left, latest state included, when the next one starts', async () => {
    await newPlan('p-crash001');
    // The first process takes the transitions and stops before its window ends.
    const dying = new ReplyOutbox({ store, threads, logger, coalesceMs: 60_000 });
    for (const note of notes()) await dying.onTransition('p-crash001', note);
    await plans.patch('p-crash001', { stack: 'stack-final' });
    await dying.close();
    expect(rootOf('p-crash001')).toBeUndefined();
    expect(await store.due(Number.POSITIVE_INFINITY)).toContain('p-crash001');

    const next = new ReplyOutbox({ store, threads, logger, coalesceMs: 100 });
    await next.start();
    await next.idle();
    const root = rootOf('p-crash001')!;
    expect(lines(root).at(-1)).toBe('`READY_FOR_APPLY` → `WAIT_FOR_APPROVE` by conductor: step 5');
    expect(lines(root)).toHaveLength(5);
    expect(JSON.stringify(root.blocks)).toContain('stack-final');
    expect(await store.due(Number.POSITIVE_INFINITY)).not.toContain('p-crash001');
    await next.close();
  });

  it('keeps the notes while Slack refuses and retries with backoff until it takes them', async () => {
    await newPlan('p-down0001');
    const outbox = new ReplyOutbox({ store, threads, logger, coalesceMs: 50 });
    // The root's first post is refused three times (Retry-After 0: the outbox's own backoff applies).
    standIn.rateLimitNext('chat.postMessage', 3, 0);
    for (const note of notes()) await outbox.onTransition('p-down0001', note);
    await outbox.idle();
    const root = rootOf('p-down0001')!;
    expect(lines(root)).toHaveLength(5);
    expect([...standIn.messages.values()].filter((m) => m.text.includes('p-down0001') && !m.thread_ts)).toHaveLength(1);
    await outbox.close();
  });
});
