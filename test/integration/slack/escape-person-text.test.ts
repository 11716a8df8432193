import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { renderHome } from '../../../src/slack/render/render-home.js';
import { renderReview } from '../../../src/slack/render/render-review.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { createTriggerGuard } from '../../../src/slack/claim-once.js';
import { ReviewThreads } from '../../../src/slack/post-review.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SlackStandIn } from '../../support/slack-stand-in.js';
import { bigPlan } from '../../support/plan-fixtures.js';

// What a person may write that Slack would act on if it arrived unescaped: a broadcast ping,
// a link whose text hides its target, a user mention, and a bare ampersand.
const HOSTILE = 'private Ollama <!channel> see <https://evil.example/x|the runbook> & ask <@U0BOSS>';
const RAW = ['<!channel>', '<https://evil.example', '<@U0BOSS>', '<!here>'];

function hostilePlan(id: string, requestedBy = 'U0ALICE'): PlanRecord {
  return { ...bigPlan(1, 1, id).plan, goal: HOSTILE, requestedBy };
}

function expectEscaped(text: string): void {
  for (const raw of RAW) expect(text).not.toContain(raw);
}

describe('person-written text in Slack messages', () => {
  it("escapes the goal in the review root's text fallback like the blocks", () => {
    const r = renderReview(hostilePlan('p-esc00001'));
    expectEscaped(r.text);
    expect(r.text).toContain(
      'private Ollama &lt;!channel&gt; see &lt;https://evil.example/x|the runbook&gt; &amp; ask &lt;@U0BOSS&gt;',
    );
    expect(r.text).toContain('requested by <@U0ALICE>');
    expectEscaped(JSON.stringify(r.blocks));
  });

  it('escapes a requester that is not a Slack user id (a CLI --as name) in text, blocks and the Home tab', () => {
    const plan = hostilePlan('p-esc00002', '<!here> bob');
    const r = renderReview(plan);
    expectEscaped(r.text);
    expect(r.text).toContain('requested by &lt;!here&gt; bob');
    expectEscaped(JSON.stringify(r.blocks));
    const home = renderHome({
      viewer: 'U0BOB',
      recent: [plan],
      pending: [plan],
      committedMonthlyUsd: 0,
      now: new Date('2026-11-01T00:00:00Z'),
    });
    expectEscaped(JSON.stringify(home.blocks));
  });

  describe('in the review thread', () => {
    let redis: TestRedis;
    let standIn: SlackStandIn;
    let threads: ReviewThreads;
    let plans: PlanStore;

    beforeAll(async () => {
      redis = await startRedis({ aof: false });
      standIn = await SlackStandIn.start({ botToken: 'xoxb-t' });
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
        logger: createLogger({ level: 'error' }),
        reviewChannel: 'C0REVIEW',
        approverEntries: ['U0BOB'],
      });
    });
    afterAll(async () => {
      await standIn?.close();
      await redis?.stop();
    });

    it('escapes the root, transition details and alert details it posts', async () => {
      const { state: _s, createdAt: _c, updatedAt: _u, ...rest } = hostilePlan('p-esc00003');
      await plans.create(rest);
      await threads.onTransition('p-esc00003', {
        from: 'WAIT_FOR_APPROVE',
        to: 'REJECTED',
        by: '<!channel>',
        detail: `rejected: ${HOSTILE}`,
      });
      await threads.alertApprovers('p-esc00003', 'escalation', `blocked twice: ${HOSTILE}`);
      const posted = standIn.callsTo('chat.postMessage').map((c) => String(c.args.text));
      expect(posted.length).toBeGreaterThanOrEqual(3);
      for (const text of posted) expectEscaped(text);
      expect(posted.some((t) => t.includes('by &lt;!channel&gt;: rejected: private Ollama &lt;!channel&gt;'))).toBe(
        true,
      );
      expect(
        posted.some((t) =>
          t.startsWith(
            ':rotating_light: <@U0BOB> escalation on plan p-esc00003: blocked twice: private Ollama &lt;!channel&gt;',
          ),
        ),
      ).toBe(true);
    });
  });
});
