import { spawn, type ChildProcess } from 'node:child_process';
import { CREW_BIN } from '../support/run-crew.js';
import type { SeededRandom } from './seeded-random.js';

interface Worker {
  name: string;
  /** Its place in the pool (the host it runs on): a replacement takes the same one. */
  slot: number;
  child: ChildProcess;
  /** Set when the test itself signals it, so its exit is expected. */
  signalled?: NodeJS.Signals;
  stderr: string;
  /** The worker said it joined the crew (connected to Redis, agents running). */
  ready: boolean;
}

export interface WorkerExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** How the worker named `name` in `slot` is started: by default `node bin/crew.js worker` here. */
export type LaunchWorker = (
  slot: number,
  name: string,
) => { command: string; args: string[]; env: Record<string, string> };

/** `crew worker` child processes that the chaos loop kills and replaces. */
export class WorkerPool {
  kills = 0;
  started = 0;
  /** Workers that died without the test killing them (a crash is a finding). */
  readonly unexpected: WorkerExit[] = [];
  private readonly live = new Set<Worker>();
  private readonly all = new Set<Worker>();
  private stopping = false;

  constructor(
    private readonly env: Record<string, string>,
    private readonly size: number,
    private readonly launch?: LaunchWorker,
  ) {}

  start(): void {
    for (let slot = 0; slot < this.size; slot++) this.spawnOne(slot);
  }

  get alive(): number {
    return this.live.size;
  }

  /**
   * SIGKILLs one random worker and starts its replacement at once. With `readyOnly`, only a
   * worker that has joined the crew (none: nothing is killed, undefined is returned).
   */
  killAndReplace(rng: SeededRandom, readyOnly = false): string | undefined {
    const candidates = [...this.live].filter((w) => !readyOnly || w.ready);
    if (candidates.length === 0) return undefined;
    const victim = rng.pick(candidates);
    victim.signalled = 'SIGKILL';
    victim.child.kill('SIGKILL');
    this.live.delete(victim);
    this.kills++;
    this.spawnOne(victim.slot);
    return victim.name;
  }

  /** Resolves once every live worker has joined the crew, or after `timeoutMs`; true when all have. */
  async waitReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.live].some((w) => !w.ready)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  /** SIGTERM to every worker (they finish in-flight work); exits of those still running after `timeoutMs` are SIGKILLed. */
  async stop(timeoutMs: number): Promise<WorkerExit[]> {
    this.stopping = true;
    const workers = [...this.live];
    this.live.clear();
    const exits = workers.map((w) => this.exitOf(w));
    for (const w of workers) {
      w.signalled = 'SIGTERM';
      w.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }, timeoutMs);
    try {
      return await Promise.all(exits);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Last-resort cleanup: every child still running, by pid. */
  killAll(): void {
    this.stopping = true;
    for (const w of this.all) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  }

  private spawnOne(slot: number): void {
    const name = `w${this.started++}`;
    const how = this.launch?.(slot, name) ?? { command: process.execPath, args: [CREW_BIN, 'worker'], env: this.env };
    const child = spawn(how.command, how.args, {
      env: { ...how.env, CREW_LOG_LEVEL: 'silent', CREW_INSTANCE: name },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const w: Worker = { name, slot, child, stderr: '', ready: false };
    child.stderr?.on('data', (chunk: Buffer) => {
      w.stderr = (w.stderr + chunk.toString()).slice(-4000);
      if (!w.ready && w.stderr.includes('worker running')) w.ready = true;
    });
    child.once('exit', (code, signal) => {
      this.live.delete(w);
      if (w.signalled || this.stopping) return;
      this.unexpected.push({ name, code, signal, stderr: w.stderr });
      // Keep the pool at strength so one crash does not starve the run.
      this.spawnOne(slot);
    });
    this.live.add(w);
    this.all.add(w);
  }

  private exitOf(w: Worker): Promise<WorkerExit> {
    const done = (): WorkerExit => ({
      name: w.name,
      code: w.child.exitCode,
      signal: w.child.signalCode,
      stderr: w.stderr,
    });
    if (w.child.exitCode !== null || w.child.signalCode !== null) return Promise.resolve(done());
    return new Promise((resolve) => w.child.once('exit', () => resolve(done())));
  }
}
