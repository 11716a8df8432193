import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../support/crew-env.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { PATH_TO_ROLLED_BACK } from '../../support/plan-paths.js';

let cluster: TestRedisCluster;
let t: CrewEnv;
beforeAll(async () => {
  cluster = await startRedisCluster();
  // REDIS_URL lists the three nodes: the crew talks to them as one Redis Cluster.
  t = await makeCrewEnv({ REDIS_URL: cluster.url });
});
afterAll(async () => {
  await t?.close();
  await cluster?.stop();
});

describe('crew plan → approve → rollback on a three-master Redis Cluster', () => {
  it('runs the whole loop with REDIS_URL naming every node', async () => {
    const goal = 'private Ollama on spot g4dn.xlarge in us-east-1, 1 instance, budget $300/month, stack ollama-cluster';
    const planned = await t.crew(['plan', goal, '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain('redis: cluster via redis://127.0.0.1:');
    const plan = jsonOf<{ id: string; state: string }>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');

    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: plan.id, state: 'DONE', version: 1 });
    expect((await stateAddresses(t.dataDir, 'ollama-cluster')).length).toBeGreaterThan(5);

    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice', '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(jsonOf(rolled)).toMatchObject({ state: 'ROLLED_BACK', rollback: { toVersion: 0 } });
    expect(await stateAddresses(t.dataDir, 'ollama-cluster')).toEqual([]);

    const history = await t.crew(['history', plan.id, '--json']);
    expect(jsonOf<Array<{ to: string }>>(history).map((r) => r.to)).toEqual(PATH_TO_ROLLED_BACK);
    // Nothing the crew sent crossed slots, even where it only logged a warning.
    for (const r of [planned, approved, rolled, history]) expect(r.stderr).not.toMatch(/CROSSSLOT|MOVED|hash slot/);
    const status = await t.crew(['status', '--json']);
    expect(jsonOf<Array<{ id: string }>>(status).map((p) => p.id)).toEqual([plan.id]);
  });
});
