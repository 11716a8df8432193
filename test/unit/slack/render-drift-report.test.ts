import { describe, expect, it } from 'vitest';
import {
  DRIFT_ACTIONS,
  decodeDriftButton,
  encodeDriftButton,
  renderDriftReport,
} from '../../../src/slack/render/render-drift-report.js';
import type { StackDriftResult } from '../../../src/store/drift-types.js';

const drifted: StackDriftResult = {
  stack: 'ollama-dev',
  status: 'drifted',
  checkedAt: '2026-12-02T03:00:00.000Z',
  planId: 'p-applied01',
  version: 3,
  drift: [{ address: 'aws_security_group.ollama', attribute: 'description', expected: 'a', actual: '<!channel> ```x' }],
  owned: [],
};

describe('the drift report in Slack', () => {
  it('carries Revert, Adopt and a Snooze menu for the stack and version it reports', () => {
    const { text, blocks } = renderDriftReport(drifted);
    expect(text).toBe('Drift on stack ollama-dev: 1 attribute changed outside the crew');
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value?: string; options?: Array<{ value: string }> }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      DRIFT_ACTIONS.revert,
      DRIFT_ACTIONS.adopt,
      DRIFT_ACTIONS.snooze,
    ]);
    expect(decodeDriftButton(actions.elements[0]!.value)).toEqual({ stack: 'ollama-dev', version: 3 });
    expect(actions.elements[2]!.options!.map((o) => decodeDriftButton(o.value)?.days)).toEqual([1, 7, 30]);
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).not.toContain('<!channel>');
  });

  it('has no controls for a clean, skipped or failed stack', () => {
    for (const status of ['clean', 'skipped', 'failed'] as const)
      expect(renderDriftReport({ ...drifted, status, drift: [] }).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('decodes only well-formed values', () => {
    expect(decodeDriftButton(encodeDriftButton({ stack: 'a-b', version: 2, days: 7 }))).toEqual({
      stack: 'a-b',
      version: 2,
      days: 7,
    });
    for (const raw of [
      '{"s":"Bad Stack","v":1}',
      '{"s":"a","v":0}',
      '{"s":"a","v":1,"d":3}',
      '{"s":"a; rm -rf /","v":1}',
      'not json',
      42,
    ])
      expect(decodeDriftButton(raw)).toBeUndefined();
  });
});
