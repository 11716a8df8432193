import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../../support/crew-env.js';
import { FIXTURE_BIN } from '../../../support/paths.js';

let t: CrewEnv;
let callLog: string;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_TERRAFORM_BIN: join(FIXTURE_BIN, 'terraform-call-log') });
  callLog = join(t.dataDir, 'terraform-calls.log');
});
afterAll(async () => t.close());

const calls = async () => (await readFile(callLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('a plan file refused by the sha256 check', () => {
  it('ends the plan FAILED with the reason, runs no Terraform and rolls nothing back', async () => {
    const stack = 'refused-file';
    const env = { TF_CREW_CALL_LOG: callLog };
    const planned = jsonOf<{ id: string }>(
      await t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ${stack}`, '--as', 'alice', '--json'], env),
    );
    const planFile = (await t.plans().get(planned.id))?.planFile?.path;
    if (!planFile) throw new Error(`plan ${planned.id} has no plan file`);
    const before = await calls();
    expect(before.some((c) => c.startsWith('plan '))).toBe(true);

    // The saved plan changes after review: it is no longer the file the approval covers.
    await appendFile(planFile, 'tampered');
    const approved = await t.crew(['approve', planned.id, '--as', 'bob', '--json'], env);
    expect(approved.code, approved.stderr).toBe(2);
    const out = jsonOf<{ state: string; failure?: string; rollback?: unknown }>(approved);
    expect(out.state).toBe('FAILED');
    expect(out.failure).toMatch(/is missing or is not the approved one/);
    expect(out.rollback).toBeUndefined();

    const history = await t.plans().history(planned.id);
    expect(history.slice(-2).map((h) => [h.event, h.to])).toEqual([
      ['APPROVE', 'APPLYING'],
      ['APPLY_REFUSED', 'FAILED'],
    ]);
    expect(history.at(-1)?.reason).toMatch(/nothing was applied/);
    expect(history.some((h) => h.to === 'ROLLBACK')).toBe(false);
    // Not one Terraform command after the approval: no apply, no rollback plan, no destroy.
    expect(await calls()).toEqual(before);
    expect(await stateAddresses(t.dataDir, stack)).toEqual([]);
    expect(await t.redis.client().get(`crew:stack:{stack:${stack}}:lock`)).toBeNull();
  });
});
