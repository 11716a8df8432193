import type { App, Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { registerHandlers } from '../../../handlers/register-handlers.js';
import type { SlackDeps } from '../../../src/slack/slack-deps.js';
import { ACTIONS } from '../../../src/slack/render/button-value.js';
import { CONFIRM_APPROVE } from '../../../src/slack/render/render-confirm-modal.js';
import { DRIFT_ACTIONS } from '../../../src/slack/render/render-drift-report.js';
import { SUGGEST_ACTION } from '../../../src/slack/render/render-suggestions.js';

/** What registerHandlers asks of Bolt: global middleware and listeners, by kind. */
function recordRegistrations(): { app: App; used: Array<Middleware<AnyMiddlewareArgs>>; listeners: string[] } {
  const used: Array<Middleware<AnyMiddlewareArgs>> = [];
  const listeners: string[] = [];
  const on = (kind: string) => () => void listeners.push(kind);
  const app = {
    use: (mw: Middleware<AnyMiddlewareArgs>) => void used.push(mw),
    command: on('command'),
    action: on('action'),
    view: on('view'),
    event: on('event'),
    message: on('message'),
  };
  return { app: app as unknown as App, used, listeners };
}

const deps = {
  config: { allowedChannels: [], requesters: [] },
  logger: { child: () => ({}), error: () => undefined },
} as unknown as SlackDeps;

/** Runs the router on one request's arguments: whether it went on to Bolt (next) and what was acked. */
async function routeOf(args: Record<string, unknown>): Promise<{ passedOn: boolean; acked: unknown[] }> {
  const { app, used } = recordRegistrations();
  registerHandlers(app, deps);
  let passedOn = false;
  const acked: unknown[] = [];
  const router = used[0] as (a: unknown) => Promise<void>;
  await router({
    ack: async (a: unknown) => void acked.push(a ?? null),
    next: async () => void (passedOn = true),
    ...args,
  }).catch(() => undefined);
  return { passedOn, acked };
}

const command = (name: string) => ({
  command: { command: name, text: '', user_id: 'U1', channel_id: 'C1', team_id: 'T1', trigger_id: 't' },
  body: {},
});
const action = (id: string) => ({ action: { action_id: id, type: 'button' }, body: { type: 'block_actions' } });

describe('the Slack entry points', () => {
  it('are one global middleware and no listener (Bolt matches every listener against every request)', () => {
    const { app, used, listeners } = recordRegistrations();
    registerHandlers(app, deps);
    expect(used).toHaveLength(1);
    expect(listeners).toEqual([]);
  });

  it('take exactly the crew commands; anything that only starts or ends like one goes on to Bolt', async () => {
    for (const c of ['/plan', '/approve', '/reject', '/rollback', '/crew']) {
      const r = await routeOf(command(c));
      expect(r.passedOn, c).toBe(false);
      // The command's own handler ran: it acked (an empty command: its usage, or /crew's help).
      expect(r.acked, c).toHaveLength(1);
      expect(JSON.stringify(r.acked), c).toContain(c === '/crew' ? '/crew' : 'Usage');
    }
    for (const c of ['/planx', 'x/plan', '/plan ', '/', '/cre', 'constructor', '__proto__', 'toString'])
      expect((await routeOf(command(c))).passedOn, c).toBe(true);
  });

  it("take exactly the crew's buttons, its approval modal, Home and messages; nothing else", async () => {
    const ids = [...Object.values(ACTIONS), ...Object.values(DRIFT_ACTIONS), SUGGEST_ACTION];
    expect(ids.length).toBe(7);
    for (const id of ids) expect((await routeOf(action(id))).passedOn, id).toBe(false);
    for (const id of ids.map((i) => `${i}x`).concat('crew_', 'approve', 'constructor'))
      expect((await routeOf(action(id))).passedOn, id).toBe(true);
    // A button of another kind of payload (a message shortcut, say) is not the review's.
    expect((await routeOf({ ...action(ids[0] as string), body: { type: 'interactive_message' } })).passedOn).toBe(true);
    const view = (type: string, callbackId: string) => ({ view: { callback_id: callbackId }, body: { type } });
    expect((await routeOf(view('view_submission', CONFIRM_APPROVE))).passedOn).toBe(false);
    expect((await routeOf(view('view_submission', 'other'))).passedOn).toBe(true);
    expect((await routeOf(view('view_closed', CONFIRM_APPROVE))).passedOn).toBe(true);
    const event = (type: string) => ({ event: { type, tab: 'messages', subtype: 'bot_message' }, body: {} });
    expect((await routeOf(event('app_home_opened'))).passedOn).toBe(false);
    expect((await routeOf(event('message'))).passedOn).toBe(false);
    expect((await routeOf(event('reaction_added'))).passedOn).toBe(true);
  });
});
