import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDebianBinary, startBind, type TestBind } from '../../../support/bind-server.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

let bind: TestBind;
let t: CrewEnv;
beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  t = await makeCrewEnv(bind.env);
});
afterAll(async () => {
  await t?.close();
  await bind?.stop();
});

interface PlanOut {
  id: string;
  state: string;
  stack: string;
  planSpec: { blueprint: string; target: string; params: Record<string, unknown> };
  validation: { verdict: string };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

// Three CLI runs and four ansible-playbook runs: slow on a busy machine.
describe('crew plan → approve → rollback of a DNS record on a real BIND', { timeout: 180_000 }, () => {
  it('adds test.local → 192.168.1.100 (dig answers it) and rolls it back (NXDOMAIN)', async () => {
    const planned = await t.crew([
      'plan',
      'Add DNS A record for test.local to 192.168.1.100',
      '--as',
      'alice',
      '--json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<PlanOut>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    expect(plan.stack).toBe('dns-local');
    expect(plan.planSpec).toMatchObject({
      blueprint: 'dns-record',
      target: 'dns',
      params: { zone: 'local', name: 'test', type: 'A', value: '192.168.1.100', action: 'add' },
    });
    expect(plan.validation.verdict).toBe('PASS');
    // Planning is --check: nothing changed on the server yet.
    expect(await bind.status('test.local', 'A')).toBe('NXDOMAIN');

    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: plan.id, state: 'DONE', approvedBy: 'bob' });
    expect((await bind.dig(['test.local', 'A', '+short'])).trim()).toBe('192.168.1.100');

    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice', '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(jsonOf(rolled)).toMatchObject({ state: 'ROLLED_BACK', rollback: { toVersion: 0, by: 'alice' } });
    expect(await bind.status('test.local', 'A')).toBe('NXDOMAIN');

    // The TSIG secret is nowhere in the data dir (plans, plan JSON, vars, results).
    for (const file of filesUnder(t.dataDir)) {
      if (statSync(file).size < 5_000_000) expect(readFileSync(file).includes(bind.tsig.secret), file).toBe(false);
    }
  });
});
