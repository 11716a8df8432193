import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsPayload, commandFields, formBody, signedPost } from '../support/slack-stand-in.js';
import { ALICE, REVIEW, SECRET, startHarness, type SlackHarness } from '../support/slack-harness.js';

// One HTTP-mode app for every row: each row is a request or two against the same instance.
let h: SlackHarness;
let slow: Record<string, number> = {};
let row = 0;

const planCount = async () => (await h.server.crew.plans.recent(200)).length;
const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
  signedPost(h.eventsUrl, body, { secret: SECRET, contentType });

beforeAll(async () => {
  h = await startHarness('http');
  // Bolt answers an unhandled request with 404 after its 3 s ack timeout: send those together.
  const unknownAction = blockActionsPayload({
    user: ALICE,
    actionId: 'crew_nuke',
    value: '{}',
    channel: REVIEW,
    messageTs: '1.1',
    responseUrl: h.standIn.responseUrl(),
  });
  const cases: Record<string, () => Promise<{ status: number }>> = {
    'an unknown action id': () => post(`payload=${encodeURIComponent(JSON.stringify(unknownAction))}`),
    'an unknown slash command': () =>
      post(
        formBody(
          commandFields({
            command: '/nuke',
            text: 'everything',
            user: ALICE,
            channel: REVIEW,
            responseUrl: h.standIn.responseUrl(),
          }),
        ),
      ),
    'an empty body': () => post(''),
    'a payload that is a JSON list': () => post(`payload=${encodeURIComponent('[1]')}`),
  };
  const entries = await Promise.all(
    Object.entries(cases).map(async ([k, send]) => [k, (await send()).status] as const),
  );
  slow = Object.fromEntries(entries);
});
afterAll(async () => {
  // Not one row may have created a plan.
  expect(await planCount()).toBe(0);
  await h?.close();
});

/** A slash command as a fresh user; returns the ack text and, when one came, the follow-up text. */
async function command(
  name: string,
  text: string,
  user: string,
  follow: boolean,
): Promise<{ status: number; ack: string; later: string }> {
  const responseUrl = h.standIn.responseUrl();
  const r = await h.command(commandFields({ command: name, text, user, channel: REVIEW, responseUrl }));
  const later = follow
    ? await h.standIn.waitFor(
        () => {
          const x = h.standIn.responses.find((y) => responseUrl.endsWith(y.id));
          return x ? `${String(x.body.response_type)}: ${String(x.body.text)}` : undefined;
        },
        `the ${name} follow-up`,
        10_000,
      )
    : '';
  return { status: r.status, ack: String(r.body?.text ?? ''), later };
}

describe('slack: slash commands refused in the ack', () => {
  it.each([
    ['/plan', '', 'Usage: `/plan <goal>`'],
    ['/plan', '   \t  ', 'Usage: `/plan <goal>`'],
    ['/approve', '', 'Usage: `/approve <plan id>`'],
    ['/approve', 'p-one p-two', 'Usage: `/approve <plan id>`'],
    ['/reject', '', 'Usage: `/reject <plan id> [reason]`'],
    ['/rollback', '', 'Usage: `/rollback <plan id>`'],
    ['/rollback', 'p-one p-two', 'Usage: `/rollback <plan id>`'],
    ['/crew', 'bogus', 'unknown subcommand "bogus"'],
    ['/crew', '💣💣 now', 'unknown subcommand "💣💣"'],
    ['/crew', `${'x'.repeat(5000)}`, `unknown subcommand "${'x'.repeat(30)}`],
    ['/crew', '__proto__', 'unknown subcommand "__proto__"'],
    ['/crew', 'constructor', 'unknown subcommand "constructor"'],
  ])('%s %j', async (name, text, want) => {
    const r = await command(name, text, `U0ACK${row++}`, false);
    expect(r.status).toBe(200);
    expect(r.ack).toContain(want);
    expect(await planCount()).toBe(0);
  });
});

describe('slack: slash commands refused after the ack, ephemerally', () => {
  it.each([
    ['/plan', 'x'.repeat(4001), 'ephemeral: :no_entry: the goal is 4001 characters long; the limit is 4000'],
    [
      '/plan',
      `private Ollama ${'🦙'.repeat(3000)}`,
      'ephemeral: :no_entry: the goal is 6015 characters long; the limit is 4000',
    ],
    ['/approve', 'NOT_AN_ID', 'ephemeral: :no_entry: "NOT_AN_ID" is not a plan id (they look like p-7fk2q9xa)'],
    ['/approve', 'p-$(id)', 'ephemeral: :no_entry: "p-$(id)" is not a plan id'],
    ['/approve', '../x', 'ephemeral: :no_entry: "../x" is not a plan id'],
    ['/approve', 'p-\u202eevil', 'is not a plan id'],
    ['/approve', 'p-ghost01', 'ephemeral: :no_entry: no plan with id p-ghost01'],
    ['/reject', 'p-ghost02 too expensive', 'ephemeral: :no_entry: no plan with id p-ghost02'],
    ['/reject', '`rm -rf /`', 'is not a plan id'],
    ['/rollback', 'p-ghost03', 'ephemeral: :no_entry: no plan with id p-ghost03'],
    ['/rollback', 'P-UPPER', 'ephemeral: :no_entry: "P-UPPER" is not a plan id'],
    ['/crew', 'status ../../etc/passwd', 'ephemeral: :no_entry: "../../etc/passwd" is not a plan id'],
    ['/crew', 'history p-ghost04', 'ephemeral: :no_entry: no plan with id p-ghost04'],
    ['/crew', 'history', 'ephemeral: Usage: `/crew history <plan id>`'],
    ['/crew', 'unlock', 'ephemeral: Usage: `/crew unlock <stack>`'],
  ])('%s %j', async (name, text, want) => {
    const r = await command(name, text, `U0LATE${row++}`, true);
    expect(r.status).toBe(200);
    expect(r.later).toContain(want);
    expect(await planCount()).toBe(0);
  });

  it.each([
    ['an empty user_id', { user_id: '' }, ':no_entry: the requester is empty: name a person'],
    ['no user_id field', { user_id: undefined }, ':no_entry: the requester is empty: name a person'],
  ])('/plan with %s', async (_label, over, want) => {
    const responseUrl = h.standIn.responseUrl();
    const fields: Record<string, string | undefined> = {
      ...commandFields({ command: '/plan', text: 'private Ollama on spot', user: 'U0X', channel: REVIEW, responseUrl }),
      ...over,
    };
    const r = await post(
      formBody(Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined))),
    );
    expect(r.status).toBe(200);
    const later = await h.standIn.waitFor(
      () => h.standIn.responses.find((y) => responseUrl.endsWith(y.id)),
      'the refusal',
      10_000,
    );
    expect(later.body).toMatchObject({ response_type: 'ephemeral', text: want });
    expect(await planCount()).toBe(0);
  });
});

describe('slack: review buttons with values that do not parse or name no plan', () => {
  const NO_PLAN = ':no_entry: this button carries no plan; use the buttons on a current review message';
  it.each([
    ['crew_approve', 'not json', NO_PLAN],
    ['crew_approve', '', NO_PLAN],
    ['crew_approve', '{"p":"p-ghost10"}', NO_PLAN],
    ['crew_approve', '{"p":"../x","s":"none"}', NO_PLAN],
    ['crew_approve', '{"p":"p-ghost10","s":"NONE"}', NO_PLAN],
    ['crew_approve', '[1,2]', NO_PLAN],
    ['crew_approve', 'null', NO_PLAN],
    ['crew_approve', `{"p":"p-ghost10","s":"none","x":"${'y'.repeat(2100)}"}`, NO_PLAN],
    ['crew_approve', '{"__proto__":{"p":"p-ghost10","s":"none"}}', NO_PLAN],
    ['crew_reject', '{"p":"p-$(id)","s":"none"}', NO_PLAN],
    ['crew_rollback', '{"p":1234,"s":"none"}', NO_PLAN],
    ['crew_approve', '{"p":"p-ghost11","s":"none"}', ':no_entry: no plan with id p-ghost11'],
    ['crew_reject', `{"p":"p-ghost12","s":"${'a'.repeat(64)}"}`, ':no_entry: no plan with id p-ghost12'],
    ['crew_rollback', '{"p":"p-ghost13","s":"none"}', ':no_entry: no plan with id p-ghost13'],
  ])('%s with %j', async (actionId, value, want) => {
    const user = `U0BTN${row++}`;
    const r = await h.action(
      blockActionsPayload({
        user,
        actionId,
        value,
        channel: REVIEW,
        messageTs: '1700000000.000100',
        responseUrl: h.standIn.responseUrl(),
      }),
    );
    expect(r.status).toBe(200);
    const call = await h.standIn.waitFor(
      () => h.standIn.callsTo('chat.postEphemeral').find((c) => c.args.user === user),
      'the ephemeral answer',
      10_000,
    );
    expect(call.args.text).toBe(want);
    expect(await planCount()).toBe(0);
  });
});

describe('slack: requests Bolt cannot route get a 4xx', () => {
  it.each([
    ['an unknown action id'],
    ['an unknown slash command'],
    ['an empty body'],
    ['a payload that is a JSON list'],
  ])('%s → 404', (label) => {
    expect(slow[label]).toBe(404);
  });

  it.each([
    ['malformed payload JSON', `payload=${encodeURIComponent('{not json')}`, 'application/x-www-form-urlencoded'],
    ['malformed JSON event body', '{not json', 'application/json'],
  ])('%s → 400', async (_label, body, contentType) => {
    expect((await post(body, contentType)).status).toBe(400);
    expect(await planCount()).toBe(0);
  });

  // Known gap: handlers/review-actions.ts reads body.user.id without a check, so a block_actions
  // payload with no `user` throws inside the listener and Bolt answers 500.
  it('a block_actions payload with no user → a 4xx or an answer, not 500', async () => {
    const payload: Record<string, unknown> = blockActionsPayload({
      user: 'U0NOUSER',
      actionId: 'crew_approve',
      value: '{"p":"p-ghost20","s":"none"}',
      channel: REVIEW,
      messageTs: '1.3',
      responseUrl: h.standIn.responseUrl(),
    });
    delete payload.user;
    const r = await post(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    expect(r.status).toBeLessThan(500);
  });
});
