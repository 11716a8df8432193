import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { PlanStore } from '../../src/store/plan-store.js';
import { requireBinary, startRedis, type TestRedis } from './redis-server.js';
import { jsonOf, runCrew, spawnCrew, type CrewResult, type RunningCrew } from './run-crew.js';

/** A private Redis and data dir for end-to-end runs of the real CLI. */
export interface CrewEnv {
  redis: TestRedis;
  dataDir: string;
  env: Record<string, string>;
  crew(args: string[], extraEnv?: Record<string, string>): Promise<CrewResult>;
  /** Starts `crew` without waiting for it, so the test can kill it mid-step. */
  start(args: string[], extraEnv?: Record<string, string>): RunningCrew;
  plans(): PlanStore;
  close(): Promise<void>;
}

export async function makeCrewEnv(extra: Record<string, string> = {}): Promise<CrewEnv> {
  requireBinary('terraform', 'install Terraform >= 1.4 and put it on PATH');
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-e2e-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    REDIS_URL: redis.url,
    CREW_DATA_DIR: dataDir,
    ...extra,
  };
  const clients: Redis[] = [];
  // Crew processes a test started and may have left running when it failed.
  const started: RunningCrew[] = [];
  return {
    redis,
    dataDir,
    env,
    crew: (args, extraEnv = {}) => runCrew(args, { ...env, ...extraEnv }),
    start: (args, extraEnv = {}) => {
      const running = spawnCrew(args, { ...env, ...extraEnv });
      started.push(running);
      return running;
    },
    plans: () => {
      const c = redis.client();
      clients.push(c);
      return new PlanStore({ redis: c });
    },
    close: async () => {
      for (const running of started) running.kill('SIGKILL');
      await Promise.all(started.map((running) => running.done));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { jsonOf };

/** Terraform's view of a stack's state: the resource addresses it manages now. */
export async function stateAddresses(dataDir: string, stack: string): Promise<string[]> {
  const r = await execa('terraform', ['state', 'list'], { cwd: join(dataDir, 'stacks', stack), reject: false });
  if (r.exitCode !== 0) return [];
  return String(r.stdout).split('\n').filter(Boolean);
}
