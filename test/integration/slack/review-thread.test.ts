import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createLogger } from '../../../src/log/create-logger.js';
import { createTriggerGuard } from '../../../src/slack/claim-once.js';
import { ReviewThreads } from '../../../src/slack/post-review.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SlackStandIn } from '../../support/slack-stand-in.js';
import { bigPlan } from '../../support/plan-fixtures.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { RedisBus } from '../../../src/bus/redis-bus.js';
import { followPlans } from '../../../src/slack/follow-plans.js';
import { waitFor } from '../../support/wait-for.js';

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
    approverEntries: ['U0BOB', 'S0OPS'],
  });
});
afterAll(async () => {
  await standIn?.close();
  await redis?.stop();
});

describe('review threads', () => {
  it('uploads the full plan and findings as a file when they exceed Block Kit limits', async () => {
    const { plan } = bigPlan(80, 0, 'p-bigone1');
    const { state: _s, createdAt: _c, updatedAt: _u, ...rest } = plan;
    await plans.create(rest);
    await plans.patch(plan.id, {
      summary: plan.summary!,
      validation: plan.validation!,
      planSha256: plan.planSha256!,
      stack: 'ollama-big',
    });
    await threads.onTransition(plan.id, {
      from: 'READY_FOR_APPLY',
      to: 'WAIT_FOR_APPROVE',
      by: 'conductor',
      detail: 'review posted',
    });
    const root = [...standIn.messages.values()].find((m) => !m.thread_ts)!;
    expect(root.blocks.length).toBeLessThanOrEqual(50);
    expect((await plans.get(plan.id))?.threadTs).toBe(root.ts);
    const file = [...standIn.files.values()].find((f) => f.filename === `${plan.id}-review.txt`)!;
    expect(file.thread_ts).toBe(root.ts);
    const text = file.bytes!.toString('utf8');
    expect(text).toContain('All findings (80)');
    expect(text).toContain('aws_security_group.rule_79');
    expect(standIn.callsTo('files.getUploadURLExternal')[0]?.args.length).toBe(String(file.bytes!.length));
    // A second transition re-renders the root in place and does not upload the same review again.
    await threads.onTransition(plan.id, { from: 'WAIT_FOR_APPROVE', to: 'WAIT_FOR_APPROVE', detail: 'again' });
    expect([...standIn.files.values()].filter((f) => f.filename === `${plan.id}-review.txt`)).toHaveLength(1);
    expect([...standIn.messages.values()].filter((m) => !m.thread_ts)).toHaveLength(1);
  });

  it('mentions approvers (users and groups) on escalations and SLA breaches', async () => {
    await threads.alertApprovers('p-bigone1', 'escalation', 'rollback failed; stack needs a human');
    await threads.alertApprovers(undefined, 'sla_breach', 'rollback took 20 minutes');
    const alerts = standIn.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(':rotating_light:'));
    expect(alerts).toHaveLength(2);
    expect(String(alerts[0]!.args.text)).toContain('<@U0BOB> <!subteam^S0OPS> escalation on plan p-bigone1');
    expect(alerts[0]!.args.thread_ts).toBeDefined();
    expect(String(alerts[1]!.args.text)).toContain('rollback SLA breached');
  });

  it("says in the plan's thread that its instance refresh ended, and alerts approvers when it did not succeed", async () => {
    const logger = createLogger({ level: 'error' });
    const bus = new RedisBus({ redis: redis.client(), logger, blockMs: 100 });
    followPlans(bus, threads, createTriggerGuard(redis.client()), logger);
    const plan = await plans.get('p-bigone1');
    expect(plan?.threadTs).toBeDefined();
    const ok = 'AWS replaced the running instances of big-ollama: instance refresh r-1 Successful, 7 min';
    const bad = 'instance refresh r-2 of big-ollama ended Failed (health checks): see `crew rollout big`';
    for (const [kind, detail, cause] of [
      ['rollout', ok, 'rollout:r-1'],
      ['escalation', bad, 'rollout:r-2'],
    ] as const)
      await bus.publish(
        'ops.event',
        makeArtifact('OpsEvent', 'p-bigone1', { kind, stack: 'big', detail }, { producer: 'forge', cause }),
      );
    const posted = () => standIn.callsTo('chat.postMessage').map((c) => c.args);
    await waitFor(async () => posted().some((a) => String(a.text).includes('r-2')));
    await waitFor(async () => posted().some((a) => a.text === ok));
    const reply = posted().find((a) => a.text === ok)!;
    // A reply in the review thread, the detail as it is (no state move to show).
    expect(reply.thread_ts).toBe(plan?.threadTs);
    const alert = posted().find((a) => String(a.text).includes('r-2'))!;
    expect(String(alert.text)).toContain(
      '<@U0BOB> <!subteam^S0OPS> escalation on plan p-bigone1: instance refresh r-2',
    );
    await bus.close();
  });
});
