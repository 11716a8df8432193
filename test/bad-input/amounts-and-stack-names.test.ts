import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ATLAS_DEFAULTS,
  parseGoal,
  type AtlasContext,
  type AtlasOutcome,
} from '../../src/agents/atlas/draft-plan.js';
import { fixturePath } from '../support/load-fixture.js';
import { makeCrewEnv, type CrewEnv } from '../support/crew-env.js';

// Amounts are plain decimal numbers of USD (an optional leading $): no hex, exponents or empty
// strings read as something else. A budget must be greater than 0 (a $0 budget would brake every
// plan that costs anything); spend already committed may be 0. A stack named in words or options
// that cannot be used is refused, never replaced by the default stack.

const ctx: AtlasContext = { defaults: DEFAULT_ATLAS_DEFAULTS };
const answer = (o: AtlasOutcome): string =>
  o.kind === 'invalid'
    ? `invalid: ${o.message}`
    : o.kind === 'blocked'
      ? `blocked: ${o.reason}`
      : `spec: ${o.spec.stack} budget ${o.spec.budget.monthlyUsd}`;
const NAME_RULE = 'use lowercase letters, digits and dashes, starting with a letter (max 40)';

describe('goals that name a stack or a budget Atlas cannot use are refused, saying why', () => {
  it.each([
    [
      'stack ../../etc',
      'private Ollama on spot g4dn.xlarge, stack ../../etc',
      `stack name "../../etc" is not valid: ${NAME_RULE}`,
    ],
    ['stack: ../x', 'private Ollama on spot, stack: ../x', 'stack name "../x" is not valid'],
    ['stack name ../x', 'ollama on g5.xlarge, stack name ../x/y', 'stack name "../x/y" is not valid'],
    ['workspace ~root', 'private Ollama on spot, workspace ~root', 'stack name "~root" is not valid'],
    ['called ../x', 'private Ollama on spot called ../x', 'stack name "../x" is not valid'],
    ['stack $(whoami)', 'private Ollama on spot, stack $(whoami)', 'stack name "$(whoami)" is not valid'],
    ['stack -rf', 'private Ollama on spot, stack -rf', 'stack name "-rf" is not valid'],
    ['budget 0x10', 'private Ollama on spot, budget 0x10', 'budget 0x10 is not a usable amount'],
    ['budget $0x10', 'private Ollama on spot, budget $0x10/month', 'budget $0x10/month is not a usable amount'],
    ['budget 1e3', 'private Ollama on spot, budget 1e3', 'budget 1e3 is not a usable amount'],
    [
      'budget $0',
      'private Ollama on spot, budget $0/month',
      'budget $0/month is not a usable budget: a $0 budget would brake every plan that costs anything',
    ],
  ])('%s', (_label, goal, want) => {
    expect(answer(parseGoal(goal, ctx))).toContain(`invalid: ${want}`);
  });

  it('still reads stack and budget words that are prose or fine', () => {
    expect(answer(parseGoal('private Ollama on spot, stack name ollama-lab', ctx))).toBe(
      'spec: ollama-lab budget null',
    );
    expect(answer(parseGoal('private Ollama on spot, a stack-based setup, budget $300/month', ctx))).toBe(
      'spec: ollama-dev budget 300',
    );
    expect(answer(parseGoal('private Ollama on spot, a new stack (for tests)', ctx))).toBe(
      'spec: ollama-dev budget null',
    );
    expect(answer(parseGoal('private Ollama on spot for a new stack. budget $0.50/hour', ctx))).toBe(
      'spec: ollama-dev budget 365',
    );
    expect(answer(parseGoal('private Ollama on spot, stack ollama-prod, budget 1.2k', ctx))).toBe(
      'spec: ollama-prod budget 1200',
    );
  });
});

describe('cli: amounts and stack names', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await makeCrewEnv();
  });
  afterAll(async () => {
    // No row may have created a plan except the one refused by Atlas.
    expect((await t.plans().recent(100)).map((p) => p.state)).toEqual(['BLOCKED']);
    await t?.close();
  });

  describe.concurrent('exit 1 with a message naming the problem', () => {
    it.each([
      [
        'crew plan --budget 0x10',
        ['plan', 'private Ollama', '--budget', '0x10'],
        'error: --budget 0x10 is not an amount in USD: write a plain decimal number such as 300 or $300.50',
      ],
      [
        'crew plan --budget ""',
        ['plan', 'private Ollama', '--budget', ''],
        'error: --budget "" is empty: write a plain decimal number such as 300 or $300.50',
      ],
      [
        'crew plan --budget 0',
        ['plan', 'private Ollama', '--budget', '0'],
        'error: --budget 0 is not a usable budget: a $0 budget would brake every plan that costs anything; give an amount greater than 0, or leave --budget out for no budget',
      ],
      [
        'crew plan --budget 1e3',
        ['plan', 'private Ollama', '--budget', '1e3'],
        'error: --budget 1e3 is not an amount in USD',
      ],
      [
        'crew plan --budget " 300"',
        ['plan', 'private Ollama', '--budget', ' 300'],
        'error: --budget  300 is not an amount in USD',
      ],
      ['crew plan --stack ""', ['plan', 'private Ollama', '--stack', ''], `error: --stack "" is empty: ${NAME_RULE}`],
      [
        'crew plan --stack ../x',
        ['plan', 'private Ollama', '--stack', '../x'],
        `error: --stack "../x" is not a valid stack name: ${NAME_RULE}`,
      ],
      ['crew parse --stack ""', ['parse', 'private Ollama', '--stack', ''], `error: --stack "" is empty: ${NAME_RULE}`],
      [
        'crew plan --timeout 0x10',
        ['plan', 'private Ollama', '--timeout', '0x10'],
        'error: --timeout 0x10 is not a positive number of seconds',
      ],
      [
        'crew check --budget 0x10',
        ['check', fixturePath('aws-spot-ollama-pass.json'), '--budget', '0x10'],
        'crew check: --budget 0x10 is not an amount in USD',
      ],
      [
        'crew check --budget ""',
        ['check', fixturePath('aws-spot-ollama-pass.json'), '--budget', ''],
        'crew check: --budget "" is empty',
      ],
      [
        'crew check --spent 0x10',
        ['check', fixturePath('aws-spot-ollama-pass.json'), '--spent', '0x10'],
        'crew check: --spent 0x10 is not an amount in USD',
      ],
    ])('%s', async (_label, args, want) => {
      const r = await t.crew(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(want);
    });
  });

  it('crew check accepts --spent 0 and $-prefixed amounts', async () => {
    const r = await t.crew([
      'check',
      fixturePath('aws-spot-ollama-pass.json'),
      '--budget',
      '$300.50',
      '--spent',
      '0',
      '--json',
    ]);
    expect([0, 2], r.stderr).toContain(r.code);
    expect((JSON.parse(r.stdout) as { budget: { monthlyUsd: number; spentUsd: number } }).budget).toMatchObject({
      monthlyUsd: 300.5,
      spentUsd: 0,
    });
  });

  it('crew plan "… stack ../../etc" ends BLOCKED with the reason instead of planning the default stack', async () => {
    const r = await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack ../../etc', '--as', 'alice']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('BLOCKED');
    expect(r.stdout).toContain(`blocked:   stack name "../../etc" is not valid: ${NAME_RULE}`);
    expect(r.stdout).not.toContain('ollama-dev');
  });
});

describe('configuration amounts', () => {
  it('refuses CREW_BUDGET_USD=0x10 rather than reading $16', async () => {
    const { readConfig } = await import('../../src/config/read-config.js');
    expect(() => readConfig({ CREW_BUDGET_USD: '0x10' })).toThrow(
      'CREW_BUDGET_USD=0x10 is not a number between 0 and 1000000000',
    );
    expect(() => readConfig({ CREW_BRAKE_RATIO: '8e-1' })).toThrow('CREW_BRAKE_RATIO=8e-1 is not a number');
    expect(readConfig({ CREW_BUDGET_USD: '300.5', CREW_BRAKE_RATIO: '.8' })).toMatchObject({
      budgetUsd: 300.5,
      brakeRatio: 0.8,
    });
  });
});
