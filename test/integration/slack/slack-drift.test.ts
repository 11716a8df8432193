import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startDriftChecks, type DriftChecks } from '../../../src/runtime/start-drift-checks.js';
import { editSandboxState } from '../../support/sandbox-state-edit.js';
import { commandFields } from '../../support/slack-stand-in.js';
import { submitPlan } from '../../support/slack-flow.js';
import { ALICE, BOB, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';

// `/crew drift` through the Slack stand-in, on a stack applied through Slack: a value planted
// in the "cloud" (the sandbox state) reaches Slack as inert, escaped text.

const STACK = 'drift-slack';
let h: SlackHarness;
let dataDir: string;
let checks: DriftChecks | undefined;
const tfEnv: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crew-slack-drift-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  tfEnv.TF_CLI_CONFIG_FILE = rc;
  const env = { CREW_DATA_DIR: dataDir, TF_CLI_CONFIG_FILE: rc, CREW_APPROVERS: BOB };
  h = await startHarness('socket', {
    env,
    finops: { drift: (args, user) => checks!.command(args, user) },
  });
  checks = startDriftChecks({
    config: readConfig({ ...env, PATH: process.env.PATH ?? '' }),
    redis: h.server.redis,
    crew: h.server.crew,
    logger: createLogger({ level: 'silent' }),
    onError: () => undefined,
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

  it('snooze is for approvers; an approver snoozes and the next check says so', async () => {
    expect(await crewCommand(`drift snooze ${STACK} 2099-01-01`)).toContain('refused');
    expect(await crewCommand(`drift snooze ${STACK} 2099-01-01`, BOB)).toContain(
      'refused: a snooze lasts at most 90 days',
    );
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(await crewCommand(`drift snooze ${STACK} ${until}`, BOB)).toContain(`snoozed until ${until}T23:59:59.000Z`);
    expect(await crewCommand(`drift ${STACK}`)).toContain(`${STACK}: snoozed (snoozed until ${until}`);
  }, 120_000);
});
