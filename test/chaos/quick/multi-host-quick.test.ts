import { describe, expect, it } from 'vitest';
import { runMultiHostChaos } from '../multi-host-run.js';
import { chaosSeed } from '../seeded-random.js';

// The multi-host chaos test on a short budget, in `npm test`: a fixed seed (CHAOS_SEED
// overrides it to replay another), three hosts, a few plans, the same faults and checks.

const SEED = chaosSeed({ CHAOS_SEED: process.env.CHAOS_SEED || '1414' });

describe(`multi-host chaos, short (seed ${SEED})`, () => {
  it(`three hosts, 4 plans, kill -9, a Redis restart and a PostgreSQL drop: 0 lost, 0 double applies, every audit complete`, async () => {
    const started = Date.now();
    const log = (m: string) =>
      console.log(`[multi-host chaos seed ${SEED} +${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
    const run = await runMultiHostChaos(
      SEED,
      {
        plans: 4,
        rollbacks: 1,
        hosts: 3,
        chaosMaxMs: 40_000,
        settleByMs: 90_000,
        forceRedisMs: 8_000,
        forcePgMs: 12_000,
        quietMs: 15_000,
        pauseMs: [1_500, 4_000],
      },
      log,
    );
    expect(run.problems, `${run.summary}\n\n${run.problems.join('\n\n')}`).toEqual([]);
    expect({ lost: run.lost, doubleApplies: run.doubleApplies }, run.summary).toEqual({ lost: 0, doubleApplies: 0 });
  }, 240_000);
});
