import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactText } from '../../../src/log/redact-text.js';
import { makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { HARMLESS, secretParts, secretShapes } from '../../support/secret-shapes.js';

const SHAPES = secretShapes();

describe('secrets in recognisable shapes', () => {
  it.each(SHAPES.map((s) => [s.label, s] as const))('redacts a %s', (_label, s) => {
    const out = redactText(`scale ollama-dev to 2, ${s.text} thanks`);
    for (const part of secretParts(s)) expect(out).not.toContain(part);
    expect(out).toContain('[redacted]');
    expect(out).toMatch(/^scale ollama-dev to 2, /);
    // A PEM block without its END line has no known end: the rest of the text goes with it.
    if (!s.label.includes('cut off')) expect(out).toMatch(/ thanks$/);
  });

  it('leaves CIDRs, instance types, plan ids and other goal words untouched', () => {
    const text = `private Ollama on ${HARMLESS.join(', ')}; key pair ssh-ed25519 is not pasted; ghp is a word; AKIA alone too`;
    expect(redactText(text)).toBe(text);
  });
});

describe('a goal with secrets pasted into it', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await makeCrewEnv();
  });
  afterAll(async () => t?.close());

  const goal = [
    'private Ollama on spot g4dn.xlarge in eu-west-1 from 10.42.0.0/16, stack ollama-pasted, budget $300/month',
    ...SHAPES.map((s) => s.text),
  ].join('\n');

  it('is redacted before it is stored or echoed: stored plan goal and crew plan output', async () => {
    const r = await t.crew(['plan', goal, '--as', 'alice']);
    expect([0, 2], r.stderr).toContain(r.code);
    const stored = (await t.plans().recent(10))[0];
    expect(stored?.goal).toContain('g4dn.xlarge in eu-west-1 from 10.42.0.0/16, stack ollama-pasted');
    for (const s of SHAPES) {
      for (const part of secretParts(s)) {
        expect(stored?.goal, s.label).not.toContain(part);
        expect(r.stdout, s.label).not.toContain(part);
        expect(r.stderr, s.label).not.toContain(part);
      }
    }
    expect(r.stdout).toContain('goal:      private Ollama on spot g4dn.xlarge in eu-west-1 from 10.42.0.0/16');
    expect(r.stdout).toContain(stored?.id);
  });

  it('is redacted in what crew parse prints', async () => {
    const r = await t.crew(['parse', goal, '--json']);
    for (const s of SHAPES)
      for (const part of secretParts(s)) expect(`${r.stdout}${r.stderr}`, s.label).not.toContain(part);
  });
});
