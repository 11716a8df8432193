import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestTimestamp } from '../../../src/slack/refuse-future-timestamps.js';
import { secretParts, secretShapes } from '../../support/secret-shapes.js';
import { commandFields, formBody, signedPost } from '../../support/slack-stand-in.js';
import { rootOf, submitPlan, threadOf } from '../../support/slack-flow.js';
import { ALICE, REVIEW, SECRET, startHarness, type SlackHarness } from '../../support/slack-harness.js';

// One signed-HTTP crew for the checks on what people send: pings and links in goals, pasted
// secrets, replayed requests stamped in the future, and stacks Atlas cannot use.
let h: SlackHarness;
beforeAll(async () => {
  // A FinOps hook that quotes what it was given, as the real one quotes the group name.
  const finops = { schedule: async (args: string[]) => `plan p-quoted submitted ("${args.join(' ')}")` };
  h = await startHarness('http', { now: () => new Date(), finops });
});
afterAll(async () => h?.close());

const countPlans = async () => (await h.server.crew.plans.recent(200)).length;
const answerTo = (url: string) =>
  h.standIn.waitFor(() => h.standIn.responses.find((r) => url.endsWith(r.id)), 'the follow-up answer');

describe('Slack requests stamped in the future', () => {
  it('checks the stamp against the clock it is given', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    const at = (sec: number) => String(Math.floor(now / 1000) + sec);
    expect(checkRequestTimestamp(at(5 * 60), now)).toBeUndefined();
    expect(checkRequestTimestamp(at(5 * 60 + 1), now)).toBe(
      'x-slack-request-timestamp is 301 s in the future (more than 300 s)',
    );
    expect(checkRequestTimestamp(at(-10 * 60), now)).toBeUndefined(); // stale: Bolt's to refuse
    expect(checkRequestTimestamp(undefined, now)).toBeUndefined();
  });

  it('refuses a correctly signed request stamped 10 minutes ahead with 401 and creates no plan; 1 minute ahead is accepted', async () => {
    const before = await countPlans();
    const nowSec = Math.floor(Date.now() / 1000);
    const body = (stack: string, url: string) =>
      formBody(
        commandFields({
          command: '/plan',
          text: `private Ollama on spot g4dn.xlarge, stack ${stack}`,
          user: ALICE,
          channel: REVIEW,
          responseUrl: url,
        }),
      );
    const future = await signedPost(h.eventsUrl, body('ollama-future', h.standIn.responseUrl()), {
      secret: SECRET,
      timestamp: nowSec + 10 * 60,
    });
    expect(future.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await countPlans()).toBe(before);
    expect(h.standIn.responses).toHaveLength(0);

    const url = h.standIn.responseUrl();
    const near = await signedPost(h.eventsUrl, body('ollama-skewed', url), { secret: SECRET, timestamp: nowSec + 60 });
    expect(near.status).toBe(200);
    expect(String((await answerTo(url)).body.text)).toMatch(/Plan `p-[a-z0-9]+` submitted/);
    expect(await countPlans()).toBe(before + 1);
  });
});

describe('person-written text through /plan', () => {
  it('escapes a goal with <!channel> and a disguised link in the review root text, its blocks and /crew status', async () => {
    const goal =
      'private Ollama on spot g4dn.xlarge, stack ollama-ping, <!channel> read <https://evil.example/x|the runbook> & approve';
    const { id, ack } = await submitPlan(h, goal);
    expect(ack.text).toContain('&lt;!channel&gt;');
    const root = await h.standIn.waitFor(() => rootOf(h, id), 'the review root');
    for (const raw of ['<!channel>', '<https://evil.example']) {
      expect(root.text).not.toContain(raw);
      expect(JSON.stringify(root.blocks)).not.toContain(raw);
    }
    expect(root.text).toContain('&lt;!channel&gt; read &lt;https://evil.example/x|the runbook&gt; &amp; approve');
    const url = h.standIn.responseUrl();
    await h.command(
      commandFields({ command: '/crew', text: `status ${id}`, user: ALICE, channel: REVIEW, responseUrl: url }),
    );
    const status = String((await answerTo(url)).body.text);
    expect(status).toContain(`plan ${id}`);
    expect(status).not.toContain('<!channel>');
    expect(status).toContain('&lt;!channel&gt;');
    for (const m of threadOf(h, root)) expect(m.text).not.toContain('<!channel>');
  });

  it('escapes the group name a /crew schedule answer quotes', async () => {
    const url = h.standIn.responseUrl();
    await h.command(
      commandFields({
        command: '/crew',
        text: 'schedule weekend <!channel>',
        user: ALICE,
        channel: REVIEW,
        responseUrl: url,
      }),
    );
    const text = String((await answerTo(url)).body.text);
    expect(text).toBe('plan p-quoted submitted ("weekend &lt;!channel&gt;")');
  });

  it('escapes what /approve, /reject and /rollback quote back in a refusal', async () => {
    for (const [command, text] of [
      ['/approve', '<!channel>'],
      ['/reject', '<!here> no'],
      ['/rollback', '<https://evil.example|p-abcd1234>'],
    ] as const) {
      const url = h.standIn.responseUrl();
      await h.command(commandFields({ command, text, user: ALICE, channel: REVIEW, responseUrl: url }));
      const answer = String((await answerTo(url)).body.text);
      expect(answer, command).toContain('is not a plan id');
      expect(answer, command).not.toMatch(/<[!h]/);
      expect(answer, command).toContain('&lt;');
    }
  });

  it('echoes and stores no pasted secret: the ack, the answer, the review root and the stored goal', async () => {
    const shapes = secretShapes();
    const goal = ['private Ollama on spot g4dn.xlarge, stack ollama-leak', ...shapes.map((s) => s.text)].join('\n');
    const { id, ack } = await submitPlan(h, goal);
    const root = await h.standIn.waitFor(() => rootOf(h, id), 'the review root');
    const stored = await h.plan(id);
    const seen = [
      ack.text,
      root.text,
      JSON.stringify(root.blocks),
      stored?.goal ?? '',
      ...h.standIn.responses.map((r) => JSON.stringify(r.body)),
    ].join('\n');
    for (const s of shapes) for (const part of secretParts(s)) expect(seen, s.label).not.toContain(part);
    expect(ack.text).toContain('[redacted]');
    expect(stored?.goal).toContain('private Ollama on spot g4dn.xlarge, stack ollama-leak');
  });
});

describe('stacks Atlas cannot use, through /plan', () => {
  it('refuses "stack ../../etc" with the reason in the review thread instead of planning the default stack', async () => {
    const { id } = await submitPlan(h, 'private Ollama on spot g4dn.xlarge, stack ../../etc');
    const blocked = await h.waitForState(id, ['BLOCKED', 'WAIT_FOR_APPROVE', 'FAILED']);
    expect(blocked.state).toBe('BLOCKED');
    expect(blocked.blocked?.reason).toBe(
      'stack name "../../etc" is not valid: use lowercase letters, digits and dashes, starting with a letter (max 40)',
    );
    expect(blocked.stack ?? blocked.spec?.stack).toBeUndefined();
    const root = await h.standIn.waitFor(() => {
      const r = rootOf(h, id);
      return r && JSON.stringify(r.blocks).includes('`BLOCKED`') ? r : undefined;
    }, 'the root updated to BLOCKED');
    expect(JSON.stringify(root.blocks)).toContain('stack name \\"../../etc\\" is not valid');
  });
});
