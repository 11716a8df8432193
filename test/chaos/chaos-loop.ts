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
  /** Whether Redis restart number `k` is due now. */
  restartDue: (k: number) => boolean;
  /** How each Redis restart stops the server, in order (true: SIGKILL); default SIGTERM then SIGKILL. */
  redisRestarts?: readonly boolean[];
  /** Other faults, each made once when it is due (e.g. dropping PostgreSQL's connections). */
  faults?: ReadonlyArray<{ name: string; due: () => boolean; run: () => Promise<string> }>;
  /** The pause between two faults, in ms (default 500–2500). */
  pauseMs?: readonly [number, number];
  /** Kill only workers that have joined the crew (a worker booting slower than the pause would never work). */
  killReadyOnly?: boolean;
  /**
   * The first step is a kill -9, before any restart or other fault that is due: a short run whose
   * plans rest within a few steps still has a worker killed while plans are in flight.
   */
  killFirst?: boolean;
  log: (message: string) => void;
  elapsedMs: () => number;
}

/** Every 0.5–2.5 s: SIGKILL a random worker and start its replacement; twice, restart Redis instead. */
export class ChaosLoop {
  readonly kills: Array<{ atMs: number; worker: string }> = [];
  readonly restarts: RedisRestart[] = [];
  /** The other faults made: name, when, and what they did. */
  readonly faultsMade: Array<{ name: string; atMs: number; what: string }> = [];
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
    const { rng, log } = this.o;
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const [min, max] = this.o.pauseMs ?? [500, 2500];
        const timer = setTimeout(resolve, rng.int(min, max));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) break;
      if (this.o.killFirst && this.kills.length === 0 && this.kill()) continue;
      const k = this.restarts.length;
      const hard = (this.o.redisRestarts ?? [false, true])[k];
      if (hard !== undefined && this.o.restartDue(k)) {
        await this.restartRedis(hard);
        continue;
      }
      const fault = this.o.faults?.find((f) => !this.faultsMade.some((m) => m.name === f.name) && f.due());
      if (fault) {
        const atMs = this.o.elapsedMs();
        const what = await fault.run();
        this.faultsMade.push({ name: fault.name, atMs, what });
        log(`${fault.name}: ${what}`);
        continue;
      }
      this.kill();
    }
  }

  /** SIGKILLs a random worker and starts its replacement; false when none could be killed. */
  private kill(): boolean {
    const worker = this.o.pool.killAndReplace(this.o.rng, this.o.killReadyOnly);
    if (!worker) return false;
    this.kills.push({ atMs: this.o.elapsedMs(), worker });
    this.o.log(`kill -9 ${worker} (${this.kills.length} kills)`);
    return true;
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
