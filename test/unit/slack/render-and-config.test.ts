import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton } from '../../../src/slack/render/button-value.js';
import { renderHome } from '../../../src/slack/render/render-home.js';
import { renderReview } from '../../../src/slack/render/render-review.js';
import { checkChannel, checkRequester } from '../../../src/slack/check-access.js';
import { checkRollbackAccess } from '../../../src/access/check-access.js';
import { mermaidToDot } from '../../../src/slack/mermaid-to-dot.js';
import { readSlackConfig } from '../../../src/config/read-slack-settings.js';
import { renderDiagram } from '../../../src/slack/render-diagram.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { pngSize } from '../../support/slack-harness.js';
import { bigPlan } from '../../support/plan-fixtures.js';
import { repoPath } from '../../support/paths.js';

describe('readSlackConfig', () => {
  it('explains how to create the app when tokens are missing', () => {
    expect(() => readSlackConfig({})).toThrow(/manifests\/slack-app\.yaml/);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_APP_TOKEN \(or SLACK_SIGNING_SECRET\)/);
  });
  it('prefers Socket Mode, falls back to signed HTTP on port 3000', () => {
    expect(
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' }).mode,
    ).toBe('socket');
    const http = readSlackConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      CREW_APPROVERS: 'U1, S2',
      CREW_ALLOWED_CHANNELS: 'C1',
    });
    expect(http).toMatchObject({
      mode: 'http',
      httpPort: 3000,
      approvers: ['U1', 'S2'],
      allowedChannels: ['C1'],
      requesters: [],
    });
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(/xapp-/);
    expect(() =>
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', CREW_HTTP_PORT: 'http' }),
    ).toThrow(/CREW_HTTP_PORT/);
  });
});

describe('access checks', () => {
  it('keeps requesters and channels to their allowlists', () => {
    expect(checkRequester({ requesters: [] }, 'U1')).toBeUndefined();
    expect(checkRequester({ requesters: ['U2'] }, 'U1')).toContain('may not request plans');
    expect(checkChannel({ allowedChannels: ['C1'] }, 'C9')).toContain('<#C1>');
    expect(checkChannel({ allowedChannels: ['C1'] }, 'C1')).toBeUndefined();
    const plan = { id: 'p-abcd', requestedBy: 'U1' } as PlanRecord;
    expect(checkRollbackAccess({ approvers: ['U2'] }, plan, 'U1')).toBeUndefined();
    expect(checkRollbackAccess({ approvers: ['U2'] }, plan, 'U3')).toContain(
      'only its requester (U1) or an approver (U2) may',
    );
  });
});

describe('button values', () => {
  it('round-trip and refuse anything else', () => {
    const sha = 'a'.repeat(64);
    expect(decodeButton(encodeButton({ planId: 'p-abcd1234', sha }))).toEqual({ planId: 'p-abcd1234', sha });
    for (const bad of [undefined, 'x', '{"p":"P-UP","s":"none"}', '{"p":"p-abcd","s":"short"}', '[]'])
      expect(decodeButton(bad)).toBeUndefined();
  });
});

describe('renderReview', () => {
  it('stays within Block Kit limits and flags a review too long for one message', () => {
    const { plan, changes } = bigPlan(60, 40);
    const r = renderReview(plan, changes);
    expect(r.blocks.length).toBeLessThanOrEqual(50);
    for (const b of r.blocks as Array<{ text?: { text: string } }>)
      expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(r.truncated).toBe(true);
    expect(JSON.stringify(r.blocks)).toContain('more in the attached file');
    const small = renderReview(
      { ...plan, validation: { ...plan.validation!, findings: plan.validation!.findings.slice(0, 2) } },
      changes.slice(0, 3),
    );
    expect(small.truncated).toBe(false);
    expect(JSON.stringify(small.blocks)).toContain('crew_approve');
  });
  it('renders the Home tab within 100 blocks', () => {
    const { plan } = bigPlan(1, 1);
    const view = renderHome({
      viewer: 'U1',
      recent: Array(200).fill(plan),
      pending: Array(30).fill(plan),
      committedMonthlyUsd: 120.5,
      budgetUsd: 300,
      now: new Date(0),
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('$120.50 of a $300.00 budget (40%)');
  });
});

describe('topology diagram', () => {
  const mermaid = [
    'graph TD',
    '  vpc["VPC 10.42.0.0/16 (us-east-1)"]',
    '  vpc --> sub0["private subnet 10.42.1.0/24"]',
    '  sub0 --> asg',
    '  asg["ASG spot g4dn.xlarge: min 0 / desired 1 / max 1"]',
    '  src0(("10.42.0.0/16")) -->|tcp 11434| sg',
    '  sched["schedule: stop fri 22:00"] -.-> asg',
  ].join('\n');

  it('translates Mermaid nodes, labels and edges to DOT', () => {
    const dot = mermaidToDot(mermaid)!;
    expect(dot).toContain('"vpc" [label="VPC 10.42.0.0/16 (us-east-1)"]');
    expect(dot).toContain('"src0" [label="10.42.0.0/16", shape=ellipse]');
    expect(dot).toContain('"src0" -> "sg" [label="tcp 11434"]');
    expect(dot).toContain('"sched" -> "asg" [style=dashed]');
    expect(mermaidToDot('graph TD')).toBeUndefined();
  });

  it('renders a real PNG without a browser', async () => {
    const r = await renderDiagram(mermaid);
    const size = pngSize(r!.png);
    expect(size?.width).toBeGreaterThan(100);
    expect(size?.height).toBeGreaterThan(100);
    expect(r!.svg).toContain('<svg');
  });
});

describe('manifests/slack-app.yaml', () => {
  it('declares the commands, scopes, Socket Mode, interactivity and the Home event the app handles', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parse } = await import('yaml');
    const m = parse(await readFile(repoPath('manifests', 'slack-app.yaml'), 'utf8')) as {
      features: { slash_commands: Array<{ command: string }>; app_home: { home_tab_enabled: boolean } };
      oauth_config: { scopes: { bot: string[] } };
      settings: {
        socket_mode_enabled: boolean;
        interactivity: { is_enabled: boolean };
        event_subscriptions: { bot_events: string[] };
      };
    };
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([
      '/plan',
      '/approve',
      '/reject',
      '/rollback',
      '/crew',
    ]);
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'files:write', 'usergroups:read', 'users:read']),
    );
    expect(m.settings).toMatchObject({
      socket_mode_enabled: true,
      interactivity: { is_enabled: true },
      event_subscriptions: { bot_events: ['app_home_opened'] },
    });
    expect(m.features.app_home.home_tab_enabled).toBe(true);
  });
});
