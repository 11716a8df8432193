import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPayload } from '../../../../contracts/index.js';
import { runCheckCommand } from '../../../../src/cli/check-command.js';
import { fixturePath } from '../../../support/load-fixture.js';

// A Wednesday noon in New York: outside the fixtures' weekend off window (Fri 22:00 → Mon 07:00
// America/New_York), where CREW_SCHEDULE_RESET would warn that applying now starts the group.
const WEDNESDAY_NOON = new Date('2026-12-02T17:00:00Z');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), now: () => WEDNESDAY_NOON },
    out,
    err,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'crew-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('crew check', () => {
  it('exits 0 on PASS and prints an Infracost-style table', async () => {
    const c = capture();
    expect(await runCheckCommand(fixturePath('aws-spot-ollama-pass.json'), {}, c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/^Sentinel PASS for .*aws-spot-ollama-pass\.json: 0 finding\(s\), 0 blocking, 0 waived/);
    expect(text).toContain(
      ' Name                                                Monthly Qty  Unit          Monthly Cost',
    );
    expect(text).toContain(
      '  ├─ Instance usage (Linux/UNIX, spot, g4dn.xlarge)       964.64  hours              $177.59',
    );
    expect(text).toContain(' New total    $224.66/month');
    expect(text).toContain(' Diff         +$224.66/month');
    expect(c.err).toEqual([]);
  });

  it("warns, without blocking, that applying inside the schedule's off window starts the group", async () => {
    const c = capture();
    // Saturday noon in New York: inside the fixture's weekend off window.
    const io = { ...c.io, now: () => new Date('2026-12-05T17:00:00Z') };
    expect(await runCheckCommand(fixturePath('aws-spot-ollama-pass.json'), {}, io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/^Sentinel PASS for .*: 1 finding\(s\), 0 blocking, 0 waived/);
    expect(text).toContain('Check: CREW_SCHEDULE_RESET');
  });

  it('exits 2 on FAIL and prints checkov-style findings', async () => {
    const c = capture();
    expect(await runCheckCommand(fixturePath('aws-ollama-insecure.json'), {}, c.io)).toBe(2);
    const text = c.out.join('\n');
    expect(text).toContain(
      'Check: CKV_AWS_79: "Instance metadata service requires IMDSv2 tokens"\n\tFAILED for resource: aws_launch_template.ollama\n\tSeverity: HIGH',
    );
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('--json prints a contract-valid ValidationResult; --budget/--spent feed the brake', async () => {
    const c = capture();
    expect(
      await runCheckCommand(fixturePath('aws-spot-ollama-pass.json'), { json: true, budget: '300', spent: '50' }, c.io),
    ).toBe(2);
    const result: unknown = JSON.parse(c.out.join(''));
    expect(checkPayload('ValidationResult', result).ok).toBe(true);
    expect((result as { budget: unknown }).budget).toEqual({
      monthlyUsd: 300,
      spentUsd: 50,
      forecastUsd: 274.66,
      ratio: 0.9155,
      brakeRatio: 0.8,
      brake: true,
    });
  });

  it('applies a policy file: waiving the budget brake lets the plan pass', async () => {
    const policy = file(
      'waive.yaml',
      'waivers:\n  - ruleId: CREW_BUDGET_BRAKE\n    address: budget\n    reason: launch week\n    expires: 2099-01-01\n',
    );
    const c = capture();
    expect(
      await runCheckCommand(fixturePath('aws-spot-ollama-pass.json'), { budget: '300', spent: '50', policy }, c.io),
    ).toBe(0);
    expect(c.out.join('\n')).toContain('\tWAIVED for resource: budget');
  });

  it('exits 1 on operational errors with a clear message', async () => {
    const cases: [string, Parameters<typeof runCheckCommand>[1], RegExp][] = [
      [join(dir, 'missing.json'), {}, /^crew check: cannot read plan file .*missing\.json: ENOENT$/],
      [
        file('cut.json', '{"format_version": "1.2", "resource_changes": ['),
        {},
        /^crew check: .*cut\.json is truncated or not JSON: Unexpected end of JSON input at position 47$/,
      ],
      [
        file('v2.json', '{"format_version": "2.0", "resource_changes": []}'),
        {},
        /^crew check: .*v2\.json: format_version 2\.0 is not supported \(expected 1\.x\)$/,
      ],
      [
        fixturePath('aws-spot-ollama-pass.json'),
        { budget: 'lots' },
        /^crew check: --budget lots is not an amount in USD: write a plain decimal number such as 300 or \$300\.50$/,
      ],
      [fixturePath('aws-spot-ollama-pass.json'), { spent: '-5' }, /^crew check: --spent -5 is not an amount in USD/],
      [
        fixturePath('aws-spot-ollama-pass.json'),
        { policy: file('bad.yaml', 'allowedRegions: [us-east-1]\nbogus: 1\n') },
        /^crew check: invalid policy: .*bad\.yaml:2: bogus: unknown key/,
      ],
      [
        fixturePath('aws-spot-ollama-pass.json'),
        { policy: join(dir, 'nope.yaml') },
        /^crew check: cannot read policy file .*nope\.yaml: ENOENT$/,
      ],
    ];
    for (const [path, opts, message] of cases) {
      const c = capture();
      expect(await runCheckCommand(path, opts, c.io)).toBe(1);
      expect(c.err.join('\n')).toMatch(message);
      expect(c.out).toEqual([]);
    }
  });
});
