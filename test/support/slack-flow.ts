import { expect } from 'vitest';
import { blockActionsPayload, commandFields, type StoredMessage } from './slack-stand-in.js';
import { ALICE, BOB, buttonValue, planIdIn, pngSize, REVIEW, type SlackHarness } from './slack-harness.js';

/** `/plan` as `user`; returns the plan id from the follow-up answer and the ack. */
export async function submitPlan(
  h: SlackHarness,
  goal: string,
  user = ALICE,
): Promise<{ id: string; ack: { ms: number; text: string }; ackedAt: number }> {
  const responseUrl = h.standIn.responseUrl();
  const ack = await h.command(commandFields({ command: '/plan', text: goal, user, channel: REVIEW, responseUrl }));
  const ackedAt = Date.now();
  expect(ack.status).toBe(200);
  const id = await h.standIn.waitFor(
    () => {
      const r = h.standIn.responses.find((x) => responseUrl.endsWith(x.id));
      return r ? planIdIn(String(r.body.text)) : undefined;
    },
    'the /plan follow-up with the plan id',
    10_000,
  );
  return { id, ack: { ms: ack.ms, text: String(ack.body?.text ?? '') }, ackedAt };
}

/** The review thread's root message for a plan (posted in the review channel, not in a thread). */
export function rootOf(h: SlackHarness, planId: string): StoredMessage | undefined {
  return [...h.standIn.messages.values()].find((m) => m.channel === REVIEW && !m.thread_ts && m.text.includes(planId));
}

export function threadOf(h: SlackHarness, root: StoredMessage): StoredMessage[] {
  return [...h.standIn.messages.values()].filter((m) => m.thread_ts === root.ts);
}

export function click(
  h: SlackHarness,
  user: string,
  actionId: string,
  value: string,
  root: StoredMessage,
  actionTs?: string,
) {
  return h.action(
    blockActionsPayload({
      user,
      actionId,
      value,
      channel: REVIEW,
      messageTs: root.ts,
      responseUrl: h.standIn.responseUrl(),
      ...(actionTs ? { actionTs } : {}),
    }),
  );
}

export function ephemeralsTo(h: SlackHarness, user: string): string[] {
  return h.standIn
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text));
}

/** The whole loop: /plan → review thread → self-approval refused → Approve by another → DONE → /rollback → ROLLED_BACK. */
export async function runWholeFlow(h: SlackHarness, stack: string): Promise<void> {
  const { id, ack, ackedAt } = await submitPlan(
    h,
    `private Ollama on spot g4dn.xlarge in us-east-1, off on weekends, budget $300/month, stack ${stack}`,
  );
  expect(ack.ms).toBeLessThan(3000);
  expect(ack.text).toContain('Planning');

  const waiting = await h.waitForState(id, ['WAIT_FOR_APPROVE']);
  const history = await h.server.crew.plans.history(id);
  // The ack came back while Atlas, Forge and Sentinel were still at work.
  expect(Date.parse(history.find((t) => t.to === 'WAIT_FOR_APPROVE')!.at)).toBeGreaterThan(ackedAt - 50);

  const root = await h.standIn.waitFor(() => {
    const r = rootOf(h, id);
    return r && buttonValue(r.blocks, 'crew_approve') ? r : undefined;
  }, 'the review root with Approve/Reject buttons');
  const review = JSON.stringify(root.blocks);
  for (const s of [
    `<@${ALICE}>`,
    'aws-spot-ollama',
    stack,
    'sandbox',
    'WAIT_FOR_APPROVE',
    '*Cost:*',
    '*Budget:*',
    '*Sentinel:*',
    'to add',
    'crew_reject',
  ])
    expect(review).toContain(s);
  const value = buttonValue(root.blocks, 'crew_approve')!;
  expect(JSON.parse(value)).toEqual({ p: id, s: waiting.planSha256 });

  // The diagram: a real PNG, with the Mermaid source beside it, in the plan's thread.
  const png = await h.standIn.waitFor(
    () => [...h.standIn.files.values()].find((f) => f.filename === `${id}-topology.png` && f.thread_ts === root.ts),
    'the topology PNG',
  );
  const size = pngSize(png.bytes!);
  expect(size?.width).toBeGreaterThan(0);
  expect(size?.height).toBeGreaterThan(0);
  expect(
    [...h.standIn.files.values()].some(
      (f) => f.filename === `${id}-topology.mmd` && f.bytes?.toString('utf8').startsWith('graph TD'),
    ),
  ).toBe(true);

  // Four-eyes: the requester's own click is refused, to them only, and audited.
  await click(h, ALICE, 'crew_approve', value, root);
  await h.standIn.waitFor(
    () => ephemeralsTo(h, ALICE).find((t) => t.includes('a different person must approve it')),
    'the self-approval refusal',
  );
  expect((await h.server.crew.plans.auditLog(id)).some((a) => a.by === ALICE && a.action === 'approve')).toBe(true);
  expect((await h.plan(id))?.state).toBe('WAIT_FOR_APPROVE');

  await click(h, BOB, 'crew_approve', value, root);
  const done = await h.waitForState(id, ['DONE', 'ROLLED_BACK', 'FAILED']);
  expect(done.state).toBe('DONE');
  expect(done.approvedBy).toBe(BOB);
  await h.standIn.waitFor(() => {
    const r = rootOf(h, id);
    return r && JSON.stringify(r.blocks).includes('`DONE`') && buttonValue(r.blocks, 'crew_rollback');
  }, 'the root updated to DONE with a Rollback button');

  const rb = await h.command(
    commandFields({
      command: '/rollback',
      text: id,
      user: ALICE,
      channel: REVIEW,
      responseUrl: h.standIn.responseUrl(),
    }),
  );
  expect(rb.ms).toBeLessThan(3000);
  const rolled = await h.waitForState(id, ['ROLLED_BACK', 'FAILED']);
  expect(rolled.state).toBe('ROLLED_BACK');
  await h.standIn.waitFor(
    () => JSON.stringify(rootOf(h, id)?.blocks ?? []).includes('`ROLLED_BACK`'),
    'the root updated to ROLLED_BACK',
  );
  const replies = await h.standIn.waitFor(() => {
    const t = threadOf(h, root);
    return t.some((m) => m.text.includes('`ROLLED_BACK`')) ? t : undefined;
  }, 'a threaded reply for the last transition');
  // Transitions close together share a reply (one line each): every one is there, in order.
  const lines = replies.flatMap((m) => m.text.split('\n')).filter((l) => l.includes('→'));
  expect(lines.length).toBeGreaterThanOrEqual(9);
  const shown = lines.map((l) => /→ `([A-Z_]+)`/.exec(l)?.[1]);
  expect(shown).toEqual((await h.server.crew.plans.history(id)).map((t) => t.to));
  expect(h.standIn.calls.every((c) => c.method === 'apps.connections.open' || c.token === 'xoxb-standin-bot')).toBe(
    true,
  );
}
