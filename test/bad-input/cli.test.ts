import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrewEnv, type CrewEnv } from '../support/crew-env.js';

let t: CrewEnv;
let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  t = await makeCrewEnv();
  dir = mkdtempSync(join(tmpdir(), 'crew-bad-cli-'));
  writeFileSync(file('binary.tfplan'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x00, 0x89, 0x0a, 0x1a]));
  writeFileSync(file('bad-policy.yaml'), 'version: 1\nallowedPorts: [443, 70000]\n');
  writeFileSync(file('empty.json'), '');
});
afterAll(async () => {
  // No row may have created a plan.
  expect(await t.plans().recent(100)).toEqual([]);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each row spawns node (about a second on a loaded machine), so the rows run side by side.
describe.concurrent('cli: bad input exits 1 with a message naming the problem', () => {
  it.each([
    ['a missing goal', ['plan'], {}, "error: missing required argument 'goal'"],
    ['an unknown option', ['plan', 'ollama', '--budgett', '5'], {}, "error: unknown option '--budgett'"],
    ['--budget 1e999', ['plan', 'ollama', '--budget', '1e999'], {}, 'error: --budget 1e999 is not an amount in USD'],
    [
      '--timeout -5',
      ['plan', 'ollama', '--timeout', '-5'],
      {},
      'error: --timeout -5 is not a positive number of seconds',
    ],
    [
      '--target gcp',
      ['plan', 'ollama', '--target', 'gcp'],
      {},
      'error: --target gcp is not one of sandbox, aws, proxmox, dns',
    ],
    [
      '--stack with path traversal',
      ['plan', 'private Ollama on spot', '--stack', '../x', '--as', 'alice'],
      {},
      'error: --stack "../x" is not a valid stack name',
    ],
    [
      'an id with shell metacharacters',
      ['approve', 'p-$(id)', '--as', 'bob'],
      {},
      'refused: "p-$(id)" is not a plan id (they look like p-7fk2q9xa)',
    ],
    ['an id with path traversal', ['history', '../x'], {}, 'error: "../x" is not a plan id'],
    [
      'a policy file that does not exist',
      ['status'],
      { CREW_POLICY_FILE: '/nonexistent/policy.yaml' },
      'error: cannot read policy file /nonexistent/policy.yaml',
    ],
    ['crew check on a binary file', ['check', '@binary.tfplan'], {}, 'is truncated or not JSON'],
    ['crew check on an empty file', ['check', '@empty.json'], {}, 'empty.json is empty'],
    [
      'crew check with an invalid policy',
      ['check', '@binary.tfplan', '--policy', '@bad-policy.yaml'],
      {},
      'bad-policy.yaml:2: allowedPorts[1] must be a port number 0-65535',
    ],
  ])('%s', async (_label, args, env, want) => {
    const r = await t.crew(
      args.map((a) => (a.startsWith('@') ? file(a.slice(1)) : a)),
      env,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(want);
  });
});
