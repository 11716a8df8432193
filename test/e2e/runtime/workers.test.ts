import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/redis-server.js';
import { CREW_BIN } from '../../support/run-crew.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';

let t: CrewEnv;
const workers: ResultPromise[] = [];
let metricsPort: number;

beforeAll(async () => {
  t = await makeCrewEnv();
  metricsPort = await freePort();
  for (const [i, roles] of [
    ['all', 'conductor,atlas,forge,sentinel'],
    ['forge', 'forge,sentinel'],
  ].entries()) {
    workers.push(
      execa('node', [CREW_BIN, 'worker', '--roles', roles[1]!], {
        env: {
          ...t.env,
          CREW_LOG_LEVEL: 'silent',
          CREW_INSTANCE: `w${i}`,
          ...(i === 0 ? { CREW_METRICS_PORT: String(metricsPort) } : {}),
        },
        reject: false,
      }),
    );
  }
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await t.close();
});

describe('scale-out: workers beside CLI processes', () => {
  it('share the work with no duplicates and no losses, and expose metrics and heartbeats', async () => {
    const stacks = ['w-one', 'w-two', 'w-three', 'w-four'];
    const runs = await Promise.all(
      stacks.map((s) => t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ${s}`, '--as', 'alice', '--json'])),
    );
    const plans = t.plans();
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      const id = jsonOf<{ id: string }>(r).id;
      const history = await plans.history(id);
      expect(history.map((h) => h.to)).toEqual([
        'PENDING',
        'IN_PROGRESS',
        'VALIDATING',
        'READY_FOR_APPLY',
        'WAIT_FOR_APPROVE',
      ]);
    }
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^crew_plans\{state="WAIT_FOR_APPROVE"\} 4$/m);
    expect(text).toMatch(/^crew_agent_heartbeat_timestamp_seconds\{agent="forge",instance="w1"\} \d+/m);
    expect(text).toMatch(/^crew_stream_length\{topic="goal\.submitted"\} 4$/m);

    for (const w of workers) w.kill('SIGTERM');
    for (const w of workers) expect((await w).exitCode).toBe(0);
  });
});
