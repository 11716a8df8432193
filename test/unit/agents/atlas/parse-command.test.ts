import { describe, expect, it } from 'vitest';
import { checkPlanSpec } from '../../../../contracts/index.js';
import { runParseCommand } from '../../../../src/cli/parse-command.js';
import { makeCtx } from './atlas-fixtures.js';

async function run(goal: string, opts: { stack?: string; json?: boolean }, stacks = false) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runParseCommand(goal, opts, makeCtx(stacks), { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('crew parse', () => {
  it('prints the PlanSpec as JSON and exits 0', async () => {
    const r = await run('private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month', {
      json: true,
    });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'blueprint',
      'stack',
      'target',
      'region',
      'params',
      'budget',
      'risk',
      'rationale',
      'diagram',
      'parsedBy',
      'provenance',
      'notUnderstood',
    ]);
    expect(json.notUnderstood).toEqual([]);
    expect(json.provenance).toMatchObject({
      'params.instanceTypes': { source: 'words', span: { text: 'g4dn.xlarge' } },
      'budget.monthlyUsd': { source: 'words' },
      'params.volumeGb': { source: 'default' },
    });
    expect(json).toMatchObject({
      blueprint: 'aws-spot-ollama',
      stack: 'ollama-dev',
      target: 'sandbox',
      region: 'eu-west-1',
      parsedBy: 'rules',
      budget: { monthlyUsd: 300, brakeRatio: 0.8 },
    });
    const { notUnderstood: _listed, ...spec } = json;
    expect(checkPlanSpec(spec).ok).toBe(true);
  });

  it('prints readable text without --json', async () => {
    const r = await run('Add DNS record test.local to 192.168.1.100', {});
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^dns-record → stack dns-local \(target dns\)/);
    expect(r.out).toContain('"value": "192.168.1.100"');
    expect(r.out).toContain('graph TD');
  });

  it('applies --stack to a change', async () => {
    const r = await run('scale to 3', { stack: 'ollama-dev', json: true }, true);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ stack: 'ollama-dev', params: { desiredCapacity: 3, maxSize: 3 } });
  });

  it('prints {reason, rationale} and exits 2 when blocked', async () => {
    const r = await run('make me a sandwich', { json: true });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { reason: string; rationale: string[] };
    expect(Object.keys(json)).toEqual(['reason', 'rationale', 'notUnderstood']);
    expect(json.reason).toMatch(/does not match any blueprint/);
    const text = await run('scale ghost-stack to 3', {});
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/^blocked: Stack ghost-stack is unknown/);
  });

  it('lists what it could not read under notUnderstood, beside the question', async () => {
    const r = await run('ollama on g5.xlarge, budget of a few hundred, for 5 people', { json: true });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { reason: string; notUnderstood: string[] };
    expect(json.notUnderstood).toEqual(['budget of a few hundred', 'for 5']);
    expect(json.reason).toBe(
      'I could not read "budget of a few hundred" (and 1 more: see below): say the budget as an amount per month, e.g. "$200/month"?',
    );
  });

  it('exits 1 with the message on err for invalid or empty goals', async () => {
    for (const goal of ['', 'Add DNS record test.local to 999.1.1.1']) {
      const r = await run(goal, { json: true });
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^invalid goal: /);
    }
  });
});
