import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startDriftChecks, type DriftChecks } from '../../../src/runtime/start-drift-checks.js';
import { postDriftReports } from '../../../src/slack/post-drift-reports.js';
import { DRIFT_ACTIONS } from '../../../src/slack/render/render-drift-report.js';
import { editSandboxState } from '../../support/sandbox-state-edit.js';
import { blockActionsPayload, commandFields, type StoredMessage } from '../../support/slack-stand-in.js';
import { click, ephemeralsTo, submitPlan, threadOf } from '../../support/slack-flow.js';
import {
  ALICE,
  BOB,
  REVIEW,
  buttonValue,
  planIdIn,
  startHarness,
  type SlackHarness,
} from '../../support/slack-harness.js';

// `/crew drift` through the Slack stand-in, on a stack applied through Slack: a value planted
// in the "cloud" (the sandbox state) reaches Slack as inert, escaped text.

const STACK = 'drift-slack';
let h: SlackHarness;
let dataDir: string;
let checks: DriftChecks | undefined;
const tfEnv: Record<string, string> = {};
/** Set by a test: the next triage throws, as a lost Redis connection would. */
let failTriage = false;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crew-slack-drift-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  tfEnv.TF_CLI_CONFIG_FILE = rc;
  const env = { CREW_DATA_DIR: dataDir, TF_CLI_CONFIG_FILE: rc, CREW_APPROVERS: BOB };
  h = await startHarness('socket', {
    env,
    finops: {
      drift: (args, user) => checks!.command(args, user),
      triageDrift: async (c) => {
        if (failTriage) throw new Error('connection lost: secret-ish detail');
        return checks!.triage(c);
      },
    },
  });
  checks = startDriftChecks({
    config: readConfig({ ...env, PATH: process.env.PATH ?? '' }),
    redis: h.server.redis,
    crew: h.server.crew,
    logger: createLogger({ level: 'silent' }),
    onError: () => undefined,
    // What `crew serve` wires: each run's reports go to the review channel, one thread per stack.
    post: async (run, scheduled) =>
      void (await postDriftReports(h.server.post, REVIEW, run, { announceClean: scheduled })),
  });
}, 60_000);
afterAll(async () => {
  checks?.stop();
  await h?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function crewCommand(text: string, user = ALICE): Promise<string> {
  const responseUrl = h.standIn.responseUrl();
  await h.command(commandFields({ command: '/crew', text, user, channel: REVIEW, responseUrl }));
  const r = await h.standIn.waitFor(
    () => h.standIn.responses.find((x) => responseUrl.endsWith(x.id)),
    `the answer to /crew ${text}`,
    60_000,
  );
  return String(r.body.text);
}

describe('/crew drift in Slack', () => {
  it('reports drift of a stack applied through Slack, the planted payload escaped, nothing run', async () => {
    const { id } = await submitPlan(h, `private Ollama on spot g4dn.xlarge, budget $2000/month, stack ${STACK}`);
    await h.waitForState(id, ['WAIT_FOR_APPROVE'], 60_000);
    expect((await h.server.crew.ops.decide(id, 'approve', BOB, 'test')).ok).toBe(true);
    await h.waitForState(id, ['DONE'], 60_000);

    expect(await crewCommand(`drift ${STACK}`)).toContain('clean: no drift in 1 stack');

    const marker = join(dataDir, 'pwned');
    const payload = `<!channel> <https://evil.example|click> \`\`\`*owned*\`\`\` $(touch ${marker})`;
    await editSandboxState(
      dataDir,
      STACK,
      'aws_security_group__ollama',
      (input) => void (input.description = payload),
      tfEnv,
    );
    const text = await crewCommand(`drift ${STACK}`);
    expect(text).toContain(`${STACK}: drift in 1 attribute`);
    expect(text).toContain(`${STACK} aws_security_group.ollama description: "Ollama API`);
    // Escaped for mrkdwn, inside one code block the value cannot close.
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt; \\u0060\\u0060\\u0060*owned*');
    expect(text).not.toContain('<!channel>');
    expect(text.match(/```/g)).toHaveLength(2);
    expect(existsSync(marker)).toBe(false);
  }, 180_000);

  it('the report posts to the review channel with Revert, Adopt and Snooze; each does what it says', async () => {
    const reports = () =>
      [...h.standIn.messages.values()].filter(
        (m): m is StoredMessage => m.channel === REVIEW && !m.thread_ts && m.text.startsWith(`Drift on stack ${STACK}`),
      );
    const seen = reports().length;
    await crewCommand(`drift ${STACK}`);
    const report = await h.standIn.waitFor(() => reports()[seen], 'the drift report', 30_000);
    expect(report.text).toBe(`Drift on stack ${STACK}: 1 attribute changed outside the crew`);
    expect(JSON.stringify(report.blocks)).not.toContain('<!channel>');
    const value = buttonValue(report.blocks, DRIFT_ACTIONS.revert);
    if (!value) throw new Error(JSON.stringify(report.blocks));

    // Adopt: the description has no spec param; the person who clicked hears why, nothing is planned.
    const before = (await h.server.crew.plans.recent(50)).length;
    await click(h, ALICE, DRIFT_ACTIONS.adopt, value, report);
    const why = await h.standIn.waitFor(
      () => ephemeralsTo(h, ALICE).find((t) => t.includes('can be adopted')),
      'the Adopt refusal',
      30_000,
    );
    expect(why).toContain('no aws-spot-ollama spec param maps to aws_security_group.description');
    expect((await h.server.crew.plans.recent(50)).length).toBe(before);

    // Revert: a normal plan, requested by who clicked, announced in the report's thread. The
    // channel is busy: other posts of this process just took its allowance; the answer waits for
    // its slot (one pace for every post the process makes) instead of meeting a 429 and being lost.
    const limitedBefore = h.standIn.limited.length;
    const busy = Promise.all(
      Array.from({ length: 5 }, (_, i) => h.server.post({ channel: REVIEW, text: `busy channel ${i}` })),
    );
    await click(h, ALICE, DRIFT_ACTIONS.revert, value, report);
    const answer = await h.standIn.waitFor(
      () => threadOf(h, report).find((m) => m.text.includes('submitted: revert')),
      'the Revert answer in the report thread',
      30_000,
    );
    await busy;
    expect(h.standIn.limited.slice(limitedBefore)).toEqual([]);
    const planId = planIdIn(answer.text);
    if (!planId) throw new Error(answer.text);
    const plan = await h.waitForState(planId, ['WAIT_FOR_APPROVE'], 60_000);
    expect(plan.requestedBy).toBe(ALICE);
    expect((plan.summary?.update ?? 0) + (plan.summary?.replace ?? 0)).toBeGreaterThan(0);
    expect((await h.server.crew.ops.decide(planId, 'reject', BOB, 'test')).ok).toBe(true);

    // Snooze from the menu: approvers only; recorded in the audit of the applied plan.
    const snooze = (user: string, days: number, actionTs: string) => {
      const payload = blockActionsPayload({
        user,
        actionId: DRIFT_ACTIONS.snooze,
        value: '',
        channel: REVIEW,
        messageTs: report.ts,
        responseUrl: h.standIn.responseUrl(),
        actionTs,
      });
      const option = JSON.stringify({ s: STACK, v: 1, d: days });
      const [action] = payload.actions as Array<Record<string, unknown>>;
      payload.actions = [
        {
          action_id: DRIFT_ACTIONS.snooze,
          block_id: action!.block_id,
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: `${days} days` }, value: option },
          action_ts: actionTs,
        },
      ];
      return h.action(payload);
    };
    await snooze(ALICE, 7, `${(Date.now() / 1000).toFixed(6)}`);
    await h.standIn.waitFor(
      () => ephemeralsTo(h, ALICE).find((t) => t.includes('not an approver')),
      'the Snooze refusal',
      30_000,
    );
    const bobBefore = ephemeralsTo(h, BOB).length;
    await snooze(BOB, 7, `${(Date.now() / 1000 + 0.000001).toFixed(6)}`);
    const snoozed = await h.standIn
      .waitFor(
        () => {
          const refused = ephemeralsTo(h, BOB)[bobBefore];
          if (refused) throw new Error(`the approver's Snooze was refused: ${refused}`);
          return threadOf(h, report).find((m) => m.text.includes('snoozed until'));
        },
        'the Snooze answer',
        30_000,
      )
      .catch((err: unknown) => {
        // What Slack saw meanwhile, so a failure says where the answer went.
        const calls = h.standIn.calls.slice(-8).map((c) => `${c.method} ${String(c.args.text ?? '').slice(0, 80)}`);
        const limited = h.standIn.limited.slice(-5).map((l) => `${l.method} ${l.channel} ${l.retryAfter}s`);
        throw new Error(`${String(err)}\nlast calls: ${calls.join(' | ')}\nrate-limited: ${limited.join(' | ')}`);
      });
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(snoozed.text).toContain(`drift reports of ${STACK} snoozed until ${until}T23:59:59.000Z`);
    const current = await h.server.crew.stacks.current(STACK);
    expect((await h.server.crew.plans.auditLog(current!.planId)).at(-1)).toMatchObject({
      by: BOB,
      action: 'drift-snooze',
    });
    expect(await crewCommand(`drift ${STACK}`)).toContain(`${STACK}: snoozed (snoozed until ${until}`);
  }, 240_000);

  it('snooze is for approvers; an approver snoozes and the next check says so', async () => {
    expect(await crewCommand(`drift snooze ${STACK} 2099-01-01`)).toContain('refused');
    expect(await crewCommand(`drift snooze ${STACK} 2099-01-01`, BOB)).toContain(
      'refused: a snooze lasts at most 90 days',
    );
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(await crewCommand(`drift snooze ${STACK} ${until}`, BOB)).toContain(`snoozed until ${until}T23:59:59.000Z`);
    expect(await crewCommand(`drift ${STACK}`)).toContain(`${STACK}: snoozed (snoozed until ${until}`);
  }, 120_000);

  it('a triage that fails tells the person who clicked, without the internal reason', async () => {
    const before = ephemeralsTo(h, BOB).length;
    const root = [...h.standIn.messages.values()].find((m) => m.channel === REVIEW && !m.thread_ts)!;
    failTriage = true;
    try {
      await click(h, BOB, DRIFT_ACTIONS.revert, JSON.stringify({ s: STACK, v: 1 }), root);
      const told = await h.standIn.waitFor(() => ephemeralsTo(h, BOB)[before], 'the failure answer', 30_000);
      expect(told).toContain(`the revert of stack ${STACK} failed; the crew's log has the reason`);
      expect(told).not.toContain('secret-ish');
    } finally {
      failTriage = false;
    }
  }, 60_000);
});
