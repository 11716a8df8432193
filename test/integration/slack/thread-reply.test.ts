import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagePayload } from '../../support/slack-stand-in.js';
import { rootOf, submitPlan, threadOf } from '../../support/slack-flow.js';
import { ALICE, BOB, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness('http', { env: { CREW_APPROVERS: BOB } });
});
afterAll(async () => h?.close());

const plans = async () => h.server.crew.plans.recent(200);

describe('answering Atlas in the plan thread', { timeout: 120_000 }, () => {
  it("the requester's reply continues the goal as a new plan in the same thread; others' replies do not", async () => {
    const { id } = await submitPlan(h, 'private ollama on g5.xlarge, stack ollama-thread, budget of a few hundred');
    const blocked = await h.waitForState(id, ['BLOCKED']);
    expect(blocked.blocked?.reason).toBe(
      'I could not read "budget of a few hundred": say the budget as an amount per month, e.g. "$200/month"?',
    );
    const root = await h.standIn.waitFor(() => rootOf(h, id), 'the review root', 10_000);
    const before = (await plans()).length;

    // Someone else answering, and the requester writing in another thread, start nothing.
    expect(
      (await h.event(messagePayload({ user: BOB, channel: REVIEW, text: '$900/month', threadTs: root.ts }))).status,
    ).toBe(200);
    const other = '1700000000.000100';
    expect(
      (await h.event(messagePayload({ user: ALICE, channel: REVIEW, text: '$200/month', threadTs: other }))).status,
    ).toBe(200);
    // The requester's own answer in the plan thread continues it.
    expect(
      (await h.event(messagePayload({ user: ALICE, channel: REVIEW, text: '$200/month', threadTs: root.ts }))).status,
    ).toBe(200);

    const next = await h.standIn.waitFor(
      async () => (await plans()).find((p) => p.id !== id && p.goal.includes('ollama-thread')),
      'the continued plan',
      10_000,
    );
    expect(next.goal).toBe('private ollama on g5.xlarge, stack ollama-thread; $200/month');
    expect(next.requestedBy).toBe(ALICE);
    expect(next.threadTs).toBe(root.ts);
    const drafted = await h.waitForState(next.id, [
      'WAIT_FOR_APPROVE',
      'PENDING',
      'IN_PROGRESS',
      'VALIDATING',
      'READY_FOR_APPLY',
    ]);
    expect(drafted.spec?.budget.monthlyUsd).toBe(200);
    expect(drafted.spec?.provenance?.['budget.monthlyUsd']).toMatchObject({ source: 'words' });
    // Exactly one new plan: Bob's reply and the reply elsewhere were not taken as answers.
    expect((await plans()).length).toBe(before + 1);
    const thread = threadOf(h, root).map((m) => m.text);
    expect(thread.some((t) => t.includes(`Continuing plan \`${id}\` with your answer: plan \`${next.id}\``))).toBe(
      true,
    );
    expect(thread.filter((t) => t.startsWith(':arrows_counterclockwise:'))).toHaveLength(1);
    // The thread's root now shows the continued plan.
    await h.standIn.waitFor(
      () => h.standIn.messages.get(root.ts)?.text.includes(next.id) || undefined,
      'the root to show the continued plan',
      10_000,
    );
  });
});
