import type { TestRedis } from '../support/redis-server.js';
import type { SeededRandom } from './seeded-random.js';
import type { WorkerPool } from './worker-pool.js';

export interface RedisRestart {
  hard: boolean;
  atMs: number;
  downMs: number;
}

export interface ChaosLoopOptions {
  pool: WorkerPool;
  redis: TestRedis;
  rng: SeededRandom;
  /** Whether restart number `k` (0: SIGTERM, 1: SIGKILL of redis-server) is due now. */
  restartDue: (k: number) => boolean;
  log: (message: string) => void;
  elapsedMs: () => number;
}

export const RESTARTS = 2;

/** Every 0.5–2.5 s: SIGKILL a random worker and start its replacement; twice, restart Redis instead. */
export class ChaosLoop {
  readonly kills: Array<{ atMs: number; worker: string }> = [];
  readonly restarts: RedisRestart[] = [];
  private stopping = false;
  private wake: () => void = () => undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: ChaosLoopOptions) {}

  get active(): boolean {
    return this.running !== undefined && !this.stopping;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the loop after the step in progress (a Redis restart is always completed). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { pool, rng, log } = this.o;
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, rng.int(500, 2500));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) break;
      const k = this.restarts.length;
      if (k < RESTARTS && this.o.restartDue(k)) {
        await this.restartRedis(k === 1);
        continue;
      }
      const worker = pool.killAndReplace(rng);
      this.kills.push({ atMs: this.o.elapsedMs(), worker });
      log(`kill -9 ${worker} (${this.kills.length} kills)`);
    }
  }

  private async restartRedis(hard: boolean): Promise<void> {
    // A worker still booting exits when Redis refuses its first connection (by design), so
    // the restart waits for them: what is tested is running workers riding out the outage.
    if (!(await this.o.pool.waitReady(15_000))) this.o.log('some workers were not ready before the Redis restart');
    const atMs = this.o.elapsedMs();
    await this.o.redis.kill(hard);
    await new Promise((r) => setTimeout(r, this.o.rng.int(200, 1000)));
    await this.o.redis.restart();
    const downMs = this.o.elapsedMs() - atMs;
    this.restarts.push({ hard, atMs, downMs });
    this.o.log(`redis-server ${hard ? 'SIGKILLed' : 'SIGTERMed'} and restarted (down ${downMs} ms)`);
  }
}
