import { describe, expect, it } from 'vitest';
import { runMultiHostChaos } from './multi-host-run.js';
import { chaosSeed } from './seeded-random.js';

// 50 plans across three network-namespace hosts that share only Redis and PostgreSQL, while
// workers are SIGKILLed, Redis is SIGKILLed and PostgreSQL drops every connection.

const SEED = chaosSeed();

describe(`multi-host chaos (seed ${SEED}; replay with CHAOS_SEED=${SEED})`, () => {
  it(`three hosts, 50 plans, kill -9, a Redis restart and a PostgreSQL drop: 0 lost, 0 double applies, every audit complete (seed ${SEED})`, async () => {
    const started = Date.now();
    const log = (m: string) =>
      console.log(`[multi-host chaos seed ${SEED} +${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
    const run = await runMultiHostChaos(
      SEED,
      {
        plans: 50,
        rollbacks: 10,
        hosts: 3,
        chaosMaxMs: 150_000,
        settleByMs: 720_000,
        forceRedisMs: 40_000,
        forcePgMs: 70_000,
        quietMs: 30_000,
        pauseMs: [3_000, 8_000],
      },
      log,
    );
    expect(run.problems, `${run.summary}\n\n${run.problems.join('\n\n')}`).toEqual([]);
    expect({ lost: run.lost, doubleApplies: run.doubleApplies }, run.summary).toEqual({ lost: 0, doubleApplies: 0 });
  }, 1_000_000);
});
