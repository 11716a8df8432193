import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { detectPlanEncoding } from '../../../../src/agents/sentinel/plan/decode-plan-text.js';
import { readPlanBytes } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { runCheckCommand } from '../../../../src/cli/check-command.js';
import { fixture, fixturePath } from '../../../support/load-fixture.js';
import { NOW } from './plan-builder.js';

const ENCODED = ['encoding-utf16le-bom.json', 'encoding-utf16be-bom.json', 'encoding-utf8-bom.json'];
const reference = evaluatePlan(fixture('asg-launch-configuration.json'), { now: NOW });

describe('plan JSON in UTF-16 or with a BOM (as Windows PowerShell 5 writes it)', () => {
  it.each(ENCODED)('%s reads and evaluates like the UTF-8 plan', (name) => {
    const read = readPlanBytes(readFileSync(fixturePath(name)), name);
    if (!read.ok) throw new Error(read.reason);
    expect(evaluatePlan(read.plan, { now: NOW })).toEqual(reference);
  });

  it.each(ENCODED)('crew check accepts %s', async (name) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCheckCommand(
      fixturePath(name),
      { json: true },
      { out: (s) => out.push(s), err: (s) => err.push(s) },
    );
    expect(err).toEqual([]);
    expect(code).toBe(reference.verdict === 'PASS' ? 0 : 2);
    expect((JSON.parse(out.join('')) as { cost: { monthlyUsd: number } }).cost.monthlyUsd).toBe(
      reference.cost.monthlyUsd,
    );
  });

  it('detects UTF-16 without a BOM by its NUL bytes', () => {
    const text = readFileSync(fixturePath('asg-launch-configuration.json'), 'utf8');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(detectPlanEncoding(le)).toEqual({ encoding: 'utf-16le', bom: 0 });
    expect(detectPlanEncoding(be)).toEqual({ encoding: 'utf-16be', bom: 0 });
    expect(readPlanBytes(be).ok).toBe(true);
    expect(detectPlanEncoding(Buffer.from('{}'))).toEqual({ encoding: 'utf-8', bom: 0 });
  });
});
