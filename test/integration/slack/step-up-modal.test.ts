import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationResult } from '../../../contracts/index.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { ACTIONS, encodeButton } from '../../../src/slack/render/button-value.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';
import { ALICE, BOB, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { blockActionsPayload, commandFields, viewSubmissionPayload } from '../../support/slack-stand-in.js';

// Step-up in Slack: the Approve button on a destructive plan opens a modal (views.open with the
// click's trigger_id); its submission decides through PlanOperations, which judges the typed name.

let h: SlackHarness;
const SHA = 'c'.repeat(64);

beforeAll(async () => {
  h = await startHarness('socket');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A plan that deletes a record, through Forge's plan and Sentinel's PASS to its review. */
async function destructivePlan(): Promise<{ id: string; stack: string }> {
  const crew = h.server.crew;
  const id = `p-${randomBytes(4).toString('hex')}`;
  const stack = `dns-${id}`;
  await crew.plans.create({ id, goal: 'remove the record', requestedBy: ALICE, stack, channel: REVIEW });
  expect(await crew.lock.acquire(stack, id, async () => false)).toEqual({ ok: true });
  await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'spec', {
    spec: { ...makeDnsSpec({ zone: 'corp.example', action: 'remove' }), stack },
  });
  await crew.plans.advance(id, 'FORGE_ACK', 'forge', 'ack');
  await crew.plans.advance(id, 'PLAN_READY', 'forge', 'planned', {
    planSha256: SHA,
    planFile: { path: `/nonexistent/${id}.tfplan`, sha256: SHA },
    summary: { create: 0, update: 0, replace: 0, delete: 1, noop: 0 },
  });
  const validation: ValidationResult = {
    verdict: 'PASS',
    findings: [],
    cost: { monthlyUsd: 0, previousMonthlyUsd: 0, diffMonthlyUsd: 0, resources: [], unpriced: [] },
    budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 0, ratio: null, brakeRatio: 0.8, brake: false },
    planSha256: SHA,
  };
  await crew.bus.publish(
    'validate.result',
    makeArtifact('ValidationResult', id, validation, { producer: 'sentinel', cause: `v:${id}` }),
  );
  await h.waitForState(id, ['WAIT_FOR_APPROVE']);
  return { id, stack };
}

describe('step-up confirmation in Slack', () => {
  it('Approve opens a modal; a wrong name is an error in the modal and records nothing; the stack name approves', async () => {
    const { id, stack } = await destructivePlan();
    const opened = h.standIn.callsTo('views.open').length;
    const click = blockActionsPayload({
      user: BOB,
      actionId: ACTIONS.approve,
      value: encodeButton({ planId: id, sha: SHA }),
      channel: REVIEW,
      messageTs: '1700000000.000100',
      responseUrl: h.standIn.responseUrl(),
    });
    await h.action(click);
    const call = await h.standIn.waitFor(() => h.standIn.callsTo('views.open')[opened], 'views.open');
    expect(call.args.trigger_id).toBe(click.trigger_id);
    const view = [...h.standIn.views.values()].at(-1)!;
    expect(JSON.stringify(view.blocks)).toContain(`plan ${id} deletes/replaces 1 resource`);
    expect(await h.server.crew.plans.approvals(id)).toEqual([]);

    const wrong = await h.action(
      viewSubmissionPayload({ user: BOB, view, values: { confirm_stack: { stack: 'dns-other' } } }),
    );
    expect(wrong.body).toEqual({
      response_action: 'errors',
      errors: { confirm_stack: `"dns-other" is not the stack: type ${stack}` },
    });
    expect(await h.server.crew.plans.approvals(id)).toEqual([]);

    const ephemerals = h.standIn.callsTo('chat.postEphemeral').length;
    const right = await h.action(viewSubmissionPayload({ user: BOB, view, values: { confirm_stack: { stack } } }));
    expect(right.body).toBeUndefined();
    await h.standIn.waitFor(async () => (await h.server.crew.plans.approvals(id)).length === 1, 'the approval');
    expect((await h.server.crew.plans.approvals(id)).map((a) => [a.by, a.planSha256])).toEqual([[BOB, SHA]]);
    const told = await h.standIn.waitFor(
      () => h.standIn.callsTo('chat.postEphemeral').slice(ephemerals)[0],
      'the approver is told',
    );
    expect(told.args).toMatchObject({ channel: REVIEW, user: BOB });
    expect(String(told.args.text)).toContain(`approved plan ${id}`);
    const refusals = (await h.server.crew.plans.auditLog(id)).filter((a) => a.refusal);
    expect(refusals.map((a) => a.refusal)).toEqual([
      expect.stringContaining('confirm with --confirm'),
      expect.stringContaining('you confirmed stack "dns-other"'),
    ]);
  });

  it('/approve on such a plan opens the same modal, bound to the plan file it judged', async () => {
    const { id, stack } = await destructivePlan();
    const opened = h.standIn.callsTo('views.open').length;
    const fields = commandFields({
      command: '/approve',
      text: id,
      user: BOB,
      channel: REVIEW,
      responseUrl: h.standIn.responseUrl(),
    });
    await h.command(fields);
    const call = await h.standIn.waitFor(() => h.standIn.callsTo('views.open')[opened], 'views.open');
    expect(call.args.trigger_id).toBe(fields.trigger_id);
    const view = [...h.standIn.views.values()].at(-1)!;
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({ p: id, s: SHA });
    await h.action(viewSubmissionPayload({ user: BOB, view, values: { confirm_stack: { stack } } }));
    await h.standIn.waitFor(async () => (await h.server.crew.plans.approvals(id)).length === 1, 'the approval');
  });

  it('a reused trigger_id cannot open a second modal (Slack answers exchanged_trigger_id)', async () => {
    const r = await fetch(`${h.standIn.apiUrl}views.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-standin-bot', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        trigger_id: String(h.standIn.callsTo('views.open')[0]?.args.trigger_id),
        view: JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] }),
      }).toString(),
    });
    expect(await r.json()).toEqual({ ok: false, error: 'exchanged_trigger_id' });
  });
});
