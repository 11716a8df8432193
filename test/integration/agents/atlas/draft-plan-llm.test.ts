import { afterEach, describe, expect, it } from 'vitest';
import { checkPlanSpec, type PlanSpec } from '../../../../contracts/index.js';
import { draftPlan, type AtlasOutcome } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from '../../../unit/agents/atlas/atlas-fixtures.js';
import { closedPort, OllamaStandIn, type Script } from '../../../support/ollama-stand-in.js';

const GOAL = 'private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month';
const awsParams = {
  instanceTypes: ['g4dn.xlarge'],
  minSize: 0,
  maxSize: 2,
  desiredCapacity: 2,
  onDemandBase: 0,
  vpcCidr: '10.42.0.0/16',
  privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
  ollamaPort: 11434,
  allowedCidrs: ['10.42.0.0/16'],
  model: 'llama3.1:8b',
  volumeGb: 120,
  schedule: { stop: { day: 'FRI', time: '22:00' }, start: { day: 'MON', time: '07:00' }, timezone: 'UTC' },
};

let standIn: OllamaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function run(
  script: Script[],
  goal = GOAL,
  opts: { timeoutMs?: number; stacks?: boolean } = {},
): Promise<AtlasOutcome> {
  standIn = new OllamaStandIn(script);
  const host = await standIn.start();
  return draftPlan(
    goal,
    makeCtx(opts.stacks ?? false, { llm: { host, model: 'llama3.1:8b', timeoutMs: opts.timeoutMs ?? 5000 } }),
  );
}

function spec(out: AtlasOutcome): PlanSpec {
  if (out.kind !== 'spec') throw new Error(`expected a spec: ${JSON.stringify(out)}`);
  expect(checkPlanSpec(out.spec).ok).toBe(true);
  return out.spec;
}

describe('draftPlan through ollama-js against a stand-in /api/chat', () => {
  it('uses a valid reply, counts tokens and sends a structured-output request', async () => {
    const s = spec(await run([{ content: JSON.stringify(awsParams), prompt_eval_count: 310, eval_count: 95 }]));
    expect(s.parsedBy).toBe('llm');
    expect(s.tokens).toEqual({ prompt: 310, completion: 95 });
    expect(s.blueprint === 'aws-spot-ollama' && [s.params.desiredCapacity, s.params.volumeGb, s.params.model]).toEqual([
      2,
      120,
      'llama3.1:8b',
    ]);
    expect([s.stack, s.region, s.budget.monthlyUsd]).toEqual(['ollama-dev', 'eu-west-1', 300]);
    const req = standIn?.requests[0];
    expect(standIn?.requests).toHaveLength(1);
    expect(req?.stream).toBe(false);
    expect(req?.options.temperature).toBe(0);
    expect(req?.model).toBe('llama3.1:8b');
    expect(typeof req?.format).toBe('object');
    expect((req?.format as { type: string; properties: Record<string, unknown> }).type).toBe('object');
    expect(Object.keys((req?.format as { properties: Record<string, unknown> }).properties)).toContain('allowedCidrs');
    expect(req?.messages[0]?.role).toBe('system');
    expect(req?.messages[0]?.content).toContain('aws-spot-ollama');
    expect(req?.messages[1]?.content).toContain(GOAL);
  });

  it('counts a missing prompt_eval_count as 0', async () => {
    const s = spec(await run([{ content: JSON.stringify(awsParams), eval_count: 50 }]));
    expect(s.tokens).toEqual({ prompt: 0, completion: 50 });
  });

  it('retries once with the validation error after invalid JSON, then uses the valid reply', async () => {
    const s = spec(
      await run([
        { content: '{"instanceTypes": [', prompt_eval_count: 100, eval_count: 10 },
        { content: JSON.stringify(awsParams), prompt_eval_count: 120, eval_count: 60 },
      ]),
    );
    expect(standIn?.requests).toHaveLength(2);
    const second = standIn?.requests[1]?.messages ?? [];
    expect(second.at(-2)).toEqual({ role: 'assistant', content: '{"instanceTypes": [' });
    expect(second.at(-1)?.content).toMatch(/Your reply was invalid: not valid JSON/);
    expect(s.parsedBy).toBe('llm');
    expect(s.tokens).toEqual({ prompt: 220, completion: 70 });
  });

  it('falls back to the rules after two schema-violating replies', async () => {
    const bad = JSON.stringify({ ...awsParams, minSize: -1, extra: true });
    const s = spec(
      await run([
        { content: bad, prompt_eval_count: 10, eval_count: 5 },
        { content: bad, prompt_eval_count: 10, eval_count: 5 },
      ]),
    );
    expect(standIn?.requests).toHaveLength(2);
    expect(standIn?.requests[1]?.messages.at(-1)?.content).toMatch(
      /params\.minSize: must be >= 0|unknown field "extra"/,
    );
    expect(s.parsedBy).toBe('rules');
    expect(s.tokens).toEqual({ prompt: 20, completion: 10 });
    expect(s.blueprint === 'aws-spot-ollama' && s.params.desiredCapacity).toBe(1);
    expect(s.rationale.join('\n')).toMatch(/failed the schema twice/);
  });

  it('falls back within the timeout when Ollama never answers', async () => {
    const t0 = Date.now();
    const s = spec(await run(['hang'], GOAL, { timeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.parsedBy).toBe('rules');
    expect(s.rationale.join('\n')).toMatch(/unavailable \(Ollama did not answer within 300 ms\)/);
  });

  it('falls back when the connection is refused', async () => {
    const host = await closedPort();
    const s = spec(await draftPlan(GOAL, makeCtx(false, { llm: { host, model: 'm', timeoutMs: 2000 } })));
    expect(s.parsedBy).toBe('rules');
    expect(s.tokens).toBeUndefined();
  });

  it('drops widened CIDRs and ports the goal does not name', async () => {
    const widened = {
      ...awsParams,
      allowedCidrs: ['0.0.0.0/0', '10.42.0.0/16', '192.168.0.0/16'],
      ollamaPort: 22,
      vpcCidr: '10.99.0.0/16',
      privateSubnetCidrs: ['10.99.0.0/20'],
    };
    const s = spec(await run([{ content: JSON.stringify(widened), prompt_eval_count: 1, eval_count: 1 }]));
    if (s.blueprint !== 'aws-spot-ollama') throw new Error('blueprint');
    expect(s.parsedBy).toBe('llm');
    expect(s.params.allowedCidrs).toEqual(['10.42.0.0/16']);
    expect(s.params.ollamaPort).toBe(11434);
    expect([s.params.vpcCidr, s.params.privateSubnetCidrs]).toEqual([
      '10.42.0.0/16',
      ['10.42.0.0/20', '10.42.16.0/20'],
    ]);
    expect(s.rationale.join('\n')).toMatch(/Dropped allowed CIDR\(s\) 0\.0\.0\.0\/0, 192\.168\.0\.0\/16/);
  });

  it('keeps CIDRs the goal names even when the model leaves them out', async () => {
    const s = spec(await run([{ content: JSON.stringify(awsParams) }], `${GOAL}, open to 0.0.0.0/0`));
    expect(s.blueprint === 'aws-spot-ollama' && s.params.allowedCidrs).toEqual(['0.0.0.0/0']);
  });

  it('keeps the parser blueprint, stack and DNS action whatever the model says', async () => {
    const reply = { zone: 'evil', name: 'x', type: 'TXT', value: 'pwned', ttl: 300, action: 'remove' };
    const s = spec(await run([{ content: JSON.stringify(reply) }], 'Add DNS record test.local to 192.168.1.100'));
    expect(s.blueprint === 'dns-record' && s.params).toEqual({
      zone: 'local',
      name: 'test',
      type: 'A',
      value: '192.168.1.100',
      ttl: 300,
      action: 'add',
    });
    expect([s.stack, s.parsedBy]).toEqual(['dns-local', 'llm']);
  });

  it("puts the stack's current params in the prompt for a change", async () => {
    const reply = {
      instanceTypes: ['g4dn.xlarge'],
      minSize: 0,
      maxSize: 3,
      desiredCapacity: 3,
      onDemandBase: 0,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
      ollamaPort: 11434,
      allowedCidrs: ['10.42.0.0/16'],
      model: 'llama3.1:8b',
      volumeGb: 100,
    };
    const s = spec(await run([{ content: JSON.stringify(reply) }], 'scale ollama-dev to 3', { stacks: true }));
    expect(standIn?.requests[0]?.messages[0]?.content).toMatch(
      /Current parameters of stack ollama-dev: \{"instanceTypes":\["g4dn.xlarge"\]/,
    );
    expect([s.stack, s.blueprint, s.parsedBy]).toEqual(['ollama-dev', 'aws-spot-ollama', 'llm']);
  });

  it('lets the model map a goal the parser cannot, or agree that none fits', async () => {
    const goal = 'somewhere private to chat with language models, please';
    const pick = { blueprint: 'aws-spot-ollama', params: { ...awsParams, schedule: undefined } };
    const s = spec(await run([{ content: JSON.stringify(pick) }], goal));
    expect([s.blueprint, s.stack, s.parsedBy]).toEqual(['aws-spot-ollama', 'ollama-dev', 'llm']);
    expect(standIn?.requests[0]?.format).toHaveProperty('anyOf');
    await standIn?.close();
    const none = await run(
      [{ content: JSON.stringify({ blueprint: 'none', reason: 'not infrastructure' }) }],
      'order pizza',
    );
    expect(none.kind === 'blocked' && none.rationale.join('\n')).toMatch(/no blueprint fits \(not infrastructure\)/);
  });

  it('never sends bad input or a refusal to the model', async () => {
    expect((await run([{ content: '{}' }], 'Add DNS record test.local to 999.1.1.1')).kind).toBe('invalid');
    expect((await run([{ content: '{}' }], 'scale ghost-stack to 3')).kind).toBe('blocked');
    expect(standIn?.requests).toHaveLength(0);
  });
});
