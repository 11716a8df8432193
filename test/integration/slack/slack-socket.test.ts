import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFields, homeOpenedPayload } from '../../support/slack-stand-in.js';
import { click, ephemeralsTo, rootOf, runWholeFlow, submitPlan } from '../../support/slack-flow.js';
import {
  ALICE,
  BOB,
  buttonValue,
  CAROL,
  REVIEW,
  startHarness,
  type SlackHarness,
} from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  // Approvers as a user group, resolved with usergroups.users.list.
  h = await startHarness('socket', { env: { CREW_APPROVERS: 'S0APPROVERS' }, usergroups: { S0APPROVERS: [BOB] } });
});
afterAll(async () => h?.close());

const countPlans = async () => (await h.server.crew.plans.recent(200)).length;

describe('crew serve over Socket Mode', () => {
  it('connects outbound: apps.connections.open with the app token, then hello', async () => {
    const open = h.standIn.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.token).toBe('xapp-1-standin-app');
    expect(h.standIn.socketCount).toBe(1);
    expect(h.standIn.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0APPROVERS');
  });

  it('runs /plan → thread → Approve by another → DONE → /rollback → ROLLED_BACK', async () => {
    await runWholeFlow(h, 'ollama-socket');
  });

  it('ignores a second identical envelope (retry_attempt): one plan only', async () => {
    const fields = commandFields({
      command: '/plan',
      text: 'private Ollama on spot g4dn.xlarge, stack ollama-sretry',
      user: ALICE,
      channel: REVIEW,
      responseUrl: h.standIn.responseUrl(),
    });
    const before = await countPlans();
    const acks = await Promise.all([h.command(fields), h.command(fields, { retryNum: 1 })]);
    for (const a of acks) expect(a.ms).toBeLessThan(3000);
    await h.standIn.waitFor(async () => (await countPlans()) > before, 'the plan');
    await new Promise((r) => setTimeout(r, 500));
    expect(await countPlans()).toBe(before + 1);
  });

  it('refuses someone outside the approver group, ephemerally and in the audit log', async () => {
    const plans = await h.server.crew.plans.recent(50);
    const id =
      plans.find((p) => p.goal.includes('ollama-sretry'))?.id ??
      (await submitPlan(h, 'private Ollama on spot g4dn.xlarge, stack ollama-sretry')).id;
    await h.waitForState(id, ['WAIT_FOR_APPROVE']);
    const root = await h.standIn.waitFor(() => {
      const r = rootOf(h, id);
      return r && buttonValue(r.blocks, 'crew_approve') ? r : undefined;
    }, 'review buttons');
    await click(h, CAROL, 'crew_approve', buttonValue(root.blocks, 'crew_approve')!, root);
    const refusal = await h.standIn.waitFor(
      () => ephemeralsTo(h, CAROL).find((t) => t.includes('is not an approver')),
      "CAROL's refusal",
    );
    expect(refusal).toContain(CAROL);
    expect((await h.server.crew.plans.auditLog(id)).some((a) => a.by === CAROL)).toBe(true);
    expect((await h.plan(id))?.state).toBe('WAIT_FOR_APPROVE');
  });

  it('publishes the App Home with the viewer’s pending approvals', async () => {
    const ack = await h.event(homeOpenedPayload(BOB));
    expect(ack.ms).toBeLessThan(3000);
    const call = await h.standIn.waitFor(
      () => h.standIn.callsTo('views.publish').find((c) => c.args.user_id === BOB),
      'views.publish',
    );
    const view = JSON.stringify(call.args.view);
    expect(view).toContain('Waiting for your approval');
    expect(view).toMatch(/Waiting for your approval\* \([1-9]/);
  });
});
