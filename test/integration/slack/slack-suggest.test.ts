import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSuggestion, suggestSavings, type SavingsDeps } from '../../../src/agents/finpilot/suggest-savings.js';
import { readConfig } from '../../../src/config/read-config.js';
import { ok } from '../../../src/errors.js';
import { buildSavingsDeps } from '../../../src/runtime/build-savings-deps.js';
import { SUGGEST_ACTION } from '../../../src/slack/render/render-suggestions.js';
import { commandFields, type StoredMessage } from '../../support/slack-stand-in.js';
import { click, ephemeralsTo, submitPlan } from '../../support/slack-flow.js';
import { ALICE, BOB, REVIEW, planIdIn, startHarness, type SlackHarness } from '../../support/slack-harness.js';

// `/crew suggest` and the "Plan this" button through the Slack stand-in: the button submits the
// suggestion as a normal plan whose Sentinel cost diff is minus the saving the message showed.

const STACK = 'slack-always';
let h: SlackHarness;
let dataDir: string;
let deps: SavingsDeps | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crew-slack-suggest-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  const env = { CREW_DATA_DIR: dataDir, TF_CLI_CONFIG_FILE: rc, CREW_APPROVERS: BOB, CREW_TZ: 'UTC' };
  h = await startHarness('socket', {
    env,
    finops: {
      suggest: () => suggestSavings(deps!),
      planSuggestion: async ({ n, listAt, user, channel }) => {
        const r = await planSuggestion(deps!, {
          n,
          requestedBy: user,
          producer: 'slack',
          ops: h.server.crew.ops,
          ...(listAt ? { listAt } : {}),
          ...(channel ? { channel } : {}),
        });
        return r.ok ? ok(`:memo: Plan \`${r.value.planId}\` submitted ("${r.value.suggestion.goal ?? ''}")`) : r;
      },
    },
  });
  deps = await buildSavingsDeps({
    config: readConfig({ ...env, PATH: process.env.PATH ?? '' }),
    redis: h.server.redis,
    stacks: h.server.crew.stacks,
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Section = { type: string; text?: { text: string }; accessory?: { action_id: string; value: string } };

describe('savings suggestions in Slack', () => {
  it('/crew suggest posts the list with Plan this buttons; a click plans it with cost diff −X', async () => {
    const { id } = await submitPlan(
      h,
      `private Ollama on g4dn.xlarge in us-east-1, keep it running through the weekend, budget $2000/month, stack ${STACK}`,
    );
    await h.waitForState(id, ['WAIT_FOR_APPROVE'], 60_000);
    expect((await h.server.crew.ops.decide(id, 'approve', BOB, 'test')).ok).toBe(true);
    await h.waitForState(id, ['DONE'], 60_000);

    const responseUrl = h.standIn.responseUrl();
    await h.command(commandFields({ command: '/crew', text: 'suggest', user: ALICE, channel: REVIEW, responseUrl }));
    const message = await h.standIn.waitFor(
      () =>
        [...h.standIn.messages.values()].find(
          (m): m is StoredMessage => m.channel === REVIEW && m.text.startsWith('Savings suggestions'),
        ),
      'the suggestions message',
      30_000,
    );
    const sections = message.blocks as Section[];
    const weekend = sections.find((b) => b.text?.text.includes(`${STACK}*: weekend schedule: saves $`));
    if (!weekend?.accessory) throw new Error(JSON.stringify(sections));
    expect(weekend.accessory.action_id).toBe(SUGGEST_ACTION);
    const x = Number(/saves \$(\d+\.\d\d)\/month/.exec(weekend.text?.text ?? '')?.[1]);
    expect(x).toBeGreaterThan(0);

    await click(h, ALICE, SUGGEST_ACTION, weekend.accessory.value, message);
    const answer = await h.standIn.waitFor(
      () => ephemeralsTo(h, ALICE).find((t) => t.includes('submitted')),
      'the Plan this answer',
      30_000,
    );
    const planId = planIdIn(answer);
    if (!planId) throw new Error(answer);
    const ready = await h.waitForState(planId, ['WAIT_FOR_APPROVE'], 60_000);
    expect(ready.requestedBy).toBe(ALICE);
    expect(ready.validation?.cost.diffMonthlyUsd).toBe(-x);
  }, 180_000);

  it('a button from an older list is refused, and a button with a forged value changes nothing', async () => {
    const before = (await h.server.crew.plans.recent(50)).length;
    await suggestSavings(deps!);
    const old = JSON.stringify({ n: 1, at: '2020-01-01T00:00:00.000Z' });
    const root = { channel: REVIEW, ts: '1.000001', text: 'x', blocks: [] };
    await click(h, ALICE, SUGGEST_ACTION, old, root, '1.100001');
    await click(h, ALICE, SUGGEST_ACTION, '{"n":"1; rm -rf /","at":"x"}', root, '1.100002');
    const answers = await h.standIn.waitFor(
      () => {
        const all = ephemeralsTo(h, ALICE);
        return all.some((t) => t.includes('a newer list')) && all.some((t) => t.includes('carries no suggestion'))
          ? all
          : undefined;
      },
      'both refusals',
      30_000,
    );
    expect(answers.length).toBeGreaterThanOrEqual(2);
    expect((await h.server.crew.plans.recent(50)).length).toBe(before);
  }, 60_000);
});
