import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFields, formBody, homeOpenedPayload, signedPost } from '../../support/slack-stand-in.js';
import { click, ephemeralsTo, rootOf, runWholeFlow, submitPlan } from '../../support/slack-flow.js';
import {
  ALICE,
  BOB,
  buttonValue,
  CAROL,
  REVIEW,
  SECRET,
  startHarness,
  type SlackHarness,
} from '../../support/slack-harness.js';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness('http', { env: { CREW_APPROVERS: `${BOB},${ALICE}` } });
});
afterAll(async () => h?.close());

const countPlans = async () => (await h.server.crew.plans.recent(200)).length;

describe('crew serve over signed HTTP', () => {
  it('runs /plan → thread → Approve by another → DONE → /rollback → ROLLED_BACK', async () => {
    await runWholeFlow(h, 'ollama-http');
  });

  it('rejects forged, unsigned and replayed requests with 401 and creates nothing', async () => {
    const before = await countPlans();
    const body = formBody(
      commandFields({
        command: '/plan',
        text: 'private Ollama on spot g4dn.xlarge, stack ollama-forged',
        user: ALICE,
        channel: REVIEW,
        responseUrl: h.standIn.responseUrl(),
      }),
    );
    const forged = await signedPost(h.eventsUrl, body, { secret: 'not-the-secret' });
    const unsigned = await signedPost(h.eventsUrl, body, { secret: SECRET, signature: null });
    const replayed = await signedPost(h.eventsUrl, body, {
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect([forged.status, unsigned.status, replayed.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await countPlans()).toBe(before);
  });

  it('ignores a retried /plan (X-Slack-Retry-Num): one plan only', async () => {
    const fields = commandFields({
      command: '/plan',
      text: 'private Ollama on spot g4dn.xlarge, stack ollama-retry',
      user: ALICE,
      channel: REVIEW,
      responseUrl: h.standIn.responseUrl(),
    });
    const before = await countPlans();
    const first = await h.command(fields);
    const retry = await h.command(fields, { retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.standIn.waitFor(async () => (await countPlans()) > before, 'the plan');
    await new Promise((r) => setTimeout(r, 500));
    expect(await countPlans()).toBe(before + 1);
  });

  it('applies once on a double click, and refuses a stale button', async () => {
    const { id } = await submitPlan(h, 'private Ollama on spot g4dn.xlarge, stack ollama-dbl');
    await h.waitForState(id, ['WAIT_FOR_APPROVE']);
    const root = await h.standIn.waitFor(() => {
      const r = rootOf(h, id);
      return r && buttonValue(r.blocks, 'crew_approve') ? r : undefined;
    }, 'review buttons');
    const value = buttonValue(root.blocks, 'crew_approve')!;
    await click(h, BOB, 'crew_approve', JSON.stringify({ p: id, s: 'f'.repeat(64) }), root);
    await h.standIn.waitFor(
      () => ephemeralsTo(h, BOB).find((t) => t.includes('older plan file')),
      'the stale-button refusal',
    );
    expect((await h.server.crew.plans.auditLog(id)).some((a) => a.refusal.includes('older plan file'))).toBe(true);

    const ts = (Date.now() / 1000).toFixed(6);
    await Promise.all([
      click(h, BOB, 'crew_approve', value, root),
      click(h, BOB, 'crew_approve', value, root, `${Number(ts) + 0.2}`),
    ]);
    const done = await h.waitForState(id, ['DONE', 'FAILED', 'ROLLED_BACK']);
    expect(done.state).toBe('DONE');
    expect((await h.server.crew.plans.history(id)).filter((t) => t.to === 'APPLYING')).toHaveLength(1);
    const applies = (await h.redis.client().xrange('crew:{stream}:apply.request', '-', '+')).filter(([, f]) =>
      f.includes(id),
    );
    expect(applies).toHaveLength(1);
    expect(ephemeralsTo(h, BOB).some((t) => t.includes('already being processed'))).toBe(true);
  });

  it("publishes its approvers as the crew's access policy for every other process", async () => {
    const stored = await new AccessPolicyStore({ redis: h.redis.client() }).read();
    expect(stored).toMatchObject({ approvers: [BOB, ALICE], allowSelfApproval: false, source: 'operator' });
    expect(stored?.setBy).toMatch(/^crew serve on /);
  });

  it('/approve <id> <sha> binds to the reviewed plan file; /rollback by a stranger is refused', async () => {
    const { id } = await submitPlan(h, 'private Ollama on spot g4dn.xlarge, stack ollama-sha');
    const plan = await h.waitForState(id, ['WAIT_FOR_APPROVE']);
    const send = async (command: string, text: string, user: string) => {
      const url = h.standIn.responseUrl();
      await h.command(commandFields({ command, text, user, channel: REVIEW, responseUrl: url }));
      return h.standIn.waitFor(
        () => h.standIn.responses.find((r) => url.endsWith(r.id)),
        `the answer to ${command} ${text}`,
      );
    };
    const stale = await send('/approve', `${id} 0000000`, BOB);
    expect(String(stale.body.text)).toContain(
      `you reviewed plan file sha256 0000000, but plan ${id} is WAIT_FOR_APPROVE`,
    );
    expect((await h.server.crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const bound = await send('/approve', `${id} ${plan.planSha256!.slice(0, 10)}`, BOB);
    expect(String(bound.body.text)).toContain(
      `plan file sha256 ${plan.planSha256!.slice(0, 12)}, the one you reviewed`,
    );
    expect((await h.waitForState(id, ['DONE', 'FAILED', 'ROLLED_BACK'])).state).toBe('DONE');
    const stranger = await send('/rollback', id, CAROL);
    expect(String(stranger.body.text)).toContain(
      `${CAROL} may not roll back plan ${id}: only its requester (${ALICE}) or an approver`,
    );
    expect((await h.server.crew.plans.get(id))?.state).toBe('DONE');
  });

  it('answers empty and unknown input with usage, and explains refusals', async () => {
    const send = (command: string, text: string) =>
      h.command(commandFields({ command, text, user: ALICE, channel: REVIEW, responseUrl: h.standIn.responseUrl() }));
    expect(String((await send('/plan', '   ')).body?.text)).toContain('Usage: `/plan <goal>`');
    expect(String((await send('/crew', 'bogus')).body?.text)).toContain('unknown subcommand "bogus"');
    expect(String((await send('/crew', '')).body?.text)).toContain('/crew status');
    expect(String((await send('/approve', '')).body?.text)).toContain('Usage: `/approve');
    const digestUrl = h.standIn.responseUrl();
    await h.command(
      commandFields({ command: '/crew', text: 'digest', user: ALICE, channel: REVIEW, responseUrl: digestUrl }),
    );
    await h.standIn.waitFor(
      () =>
        h.standIn.responses.find(
          (r) => digestUrl.endsWith(r.id) && String(r.body.text).includes('FinOps is not configured'),
        ),
      'the FinOps answer',
    );
    const badUrl = h.standIn.responseUrl();
    await h.command(
      commandFields({ command: '/approve', text: 'NOT_AN_ID', user: BOB, channel: REVIEW, responseUrl: badUrl }),
    );
    const bad = await h.standIn.waitFor(() => h.standIn.responses.find((r) => badUrl.endsWith(r.id)), 'the refusal');
    expect(bad.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(bad.body.text)).toContain('is not a plan id');
  });

  it('publishes the App Home with plans and the budget', async () => {
    const r = await h.event(homeOpenedPayload(BOB));
    expect(r.status).toBe(200);
    const call = await h.standIn.waitFor(
      () => h.standIn.callsTo('views.publish').find((c) => c.args.user_id === BOB),
      'views.publish',
    );
    const view = JSON.stringify(call.args.view);
    expect(view).toContain('committed monthly spend');
    expect(view).toContain('Recent plans');
  });
});
