import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { registerHandlers } from '../../../handlers/register-handlers.js';
import type { SlackDeps } from '../../../src/slack/slack-deps.js';
import { ACTIONS } from '../../../src/slack/render/button-value.js';
import { DRIFT_ACTIONS } from '../../../src/slack/render/render-drift-report.js';
import { SUGGEST_ACTION } from '../../../src/slack/render/render-suggestions.js';

/** What registerHandlers asks of Bolt: each listener's kind and what it matches. */
function recordListeners(): { app: App; listeners: Array<{ kind: string; match: unknown }> } {
  const listeners: Array<{ kind: string; match: unknown }> = [];
  const on = (kind: string) => (match: unknown) => void listeners.push({ kind, match });
  const app = { command: on('command'), action: on('action'), view: on('view'), event: on('event') };
  return { app: app as unknown as App, listeners };
}

const deps = { config: {}, logger: { child: () => ({}) } } as unknown as SlackDeps;

describe('the Slack entry points', () => {
  it('are one listener per kind of request (Bolt matches every listener against every request)', () => {
    const { app, listeners } = recordListeners();
    registerHandlers(app, deps);
    expect(listeners.map((l) => l.kind)).toEqual(['command', 'action', 'view', 'event', 'event']);
  });

  it('match exactly the crew commands and buttons, nothing that only starts or ends like them', () => {
    const { app, listeners } = recordListeners();
    registerHandlers(app, deps);
    const commands = listeners.find((l) => l.kind === 'command')?.match as RegExp;
    for (const c of ['/plan', '/approve', '/reject', '/rollback', '/crew']) expect(commands.test(c), c).toBe(true);
    for (const c of ['/planx', 'x/plan', '/plan ', '/', '/cre']) expect(commands.test(c), c).toBe(false);
    const actions = listeners.find((l) => l.kind === 'action')?.match as { type: string; action_id: RegExp };
    expect(actions.type).toBe('block_actions');
    const ids = [...Object.values(ACTIONS), ...Object.values(DRIFT_ACTIONS), SUGGEST_ACTION];
    expect(ids.length).toBe(7);
    for (const id of ids) expect(actions.action_id.test(id), id).toBe(true);
    for (const id of ids.map((i) => `${i}x`).concat('crew_', 'approve'))
      expect(actions.action_id.test(id), id).toBe(false);
  });
});
