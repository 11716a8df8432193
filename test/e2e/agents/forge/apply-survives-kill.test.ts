import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackStore } from '../../../../src/store/stack-store.js';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../../support/crew-env.js';
import { SLOW_TERRAFORM, slowApplyEnv, slowApplyLog, waitForSlowApply } from '../../../support/slow-apply.js';
import { PATH_TO_DONE } from '../../../support/plan-paths.js';

// kill -9 of the crew process while a real `terraform apply` is still working (its VPC's
// provisioner sleeps): Terraform must finish on its own and write its state, and the next
// crew process must find the plan applied, applying nothing again.

const goal = (stack: string) => `private Ollama on spot g4dn.xlarge, off on weekends, stack ${stack}`;

let t: CrewEnv;
let client: Redis;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_TERRAFORM_BIN: SLOW_TERRAFORM });
  client = t.redis.client();
});
afterAll(async () => t.close());

describe('an apply in flight when the crew process is killed', () => {
  it('finishes on its own, writes its state, and crew wait ends DONE without applying again', async () => {
    const stack = 'survives-kill';
    const env = slowApplyEnv(t.dataDir, stack, 12);
    const planned = await t.crew(['plan', goal(stack), '--as', 'alice', '--json'], env);
    expect(planned.code, planned.stderr).toBe(0);
    const id = jsonOf<{ id: string }>(planned).id;

    const approving = t.start(['approve', id, '--as', 'bob', '--json'], env);
    await waitForSlowApply(slowApplyLog(t.dataDir, stack), ['started']);
    approving.kill('SIGKILL');
    expect((await approving.done).signal).toBe('SIGKILL');
    expect(await slowApplyLog(t.dataDir, stack).lines()).toEqual(['started']); // still applying

    const resumed = await t.crew(['wait', id, '--json', '--timeout', '150'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonOf(resumed)).toMatchObject({ id, state: 'DONE', version: 1 });
    // The VPC was created once, by the apply that outlived its parent: nothing was applied twice.
    expect(await slowApplyLog(t.dataDir, stack).lines()).toEqual(['started', 'finished']);
    expect((await t.plans().history(id)).map((h) => h.to)).toEqual(PATH_TO_DONE);
    const addresses = await stateAddresses(t.dataDir, stack);
    expect(addresses).toContain('terraform_data.aws_vpc__main');
    expect(addresses.length).toBeGreaterThan(5);
    const stacks = new StackStore({ redis: client });
    expect(await stacks.currentVersion(stack)).toBe(1);
    expect(await stacks.currentPlanId(stack)).toBe(id);
  });
});
