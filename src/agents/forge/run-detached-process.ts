import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputDir, recordCommandPid, removeOutputDirLater, sweepOutputDirsNowAndThen } from './output-dirs.js';
import { groupAlive, signalGroup } from './process-group.js';

export interface RunDetachedOptions {
  bin: string;
  args: string[];
  cwd: string;
  /** The whole environment the child gets (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL of the process group on timeout or cancel. */
  killGraceMs: number;
  signal?: AbortSignal;
  /** Told once the child runs: its pid (also its process group id) and where its output goes. Errors it throws are ignored. */
  onStart?: (child: StartedChild) => void | Promise<void>;
}

export interface StartedChild {
  pid: number;
  stdoutPath: string;
  stderrPath: string;
}

export interface DetachedResult {
  /** Undefined when the child could not start or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** The binary does not exist. */
  missing: boolean;
  cause?: unknown;
  /** How long the child ran, from its spawn to its exit, in ms (undefined when it did not start). */
  ranMs?: number;
}

/**
 * Runs a command that changes real infrastructure so that it outlives this process: its own
 * session and process group (a kill of ours does not reach it, a kill of its group reaches
 * its plugins), no stdin, and stdout/stderr written by the child itself into files opened
 * here. No pipe leads back to us, so the child cannot die of SIGPIPE when we are killed.
 */
export async function runDetachedProcess(o: RunDetachedOptions): Promise<DetachedResult> {
  // Small local files, made, read and removed synchronously (see output-dirs.ts).
  const outDir = makeOutputDir();
  const stdoutPath = join(outDir, 'stdout');
  const stderrPath = join(outDir, 'stderr');
  const fds: number[] = [];
  let keepOutput = false;
  try {
    for (const path of [stdoutPath, stderrPath]) fds.push(openSync(path, 'w'));
    // File descriptors, not execa's `{ file }`: that pipes the output through this process.
    const spawnedAt = performance.now();
    const child = spawn(o.bin, o.args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: ['ignore', fds[0]!, fds[1]!],
    });
    const exited = waitForExit(child, spawnedAt);
    let timedOut = false;
    let cancelled = false;
    let forceKill: NodeJS.Timeout | undefined;
    const killGroup = () => {
      signalGroup(child.pid, 'SIGTERM');
      forceKill ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), o.killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, o.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The child runs whatever the hook does: never leave it unawaited.
      const pid = child.pid;
      if (pid !== undefined) {
        try {
          recordCommandPid(outDir, pid);
        } catch {
          // Without it a sweep waits for this process's own end: nothing is lost.
        }
      }
      if (pid !== undefined)
        await Promise.resolve()
          .then(() => o.onStart?.({ pid, stdoutPath, stderrPath }))
          .catch(() => undefined);
      // Leftovers of killed owners are cleared while the child runs, not before it starts (at
      // most once a minute: they appear only when an owner is killed).
      await sweepOutputDirsNowAndThen().catch(() => undefined);
      const settled = await exited;
      const stdout = readOutput(stdoutPath);
      const stderr = readOutput(stderrPath);
      return { ...settled, stdout, stderr, timedOut, cancelled, missing: settled.cause?.code === 'ENOENT' };
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // Leave the SIGKILL armed only while the group may still be alive.
      if (forceKill && !groupAlive(child.pid)) clearTimeout(forceKill);
      keepOutput = groupAlive(child.pid);
    }
  } finally {
    for (const fd of fds) closeQuietly(fd);
    // A group that lives on (a child that ignored every signal) may still write there.
    if (!keepOutput) removeOutputDirLater(outDir);
  }
}

function readOutput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}

type Exit = { exitCode?: number; signal?: string; cause?: NodeJS.ErrnoException; ranMs?: number };

function waitForExit(child: ChildProcess, spawnedAt: number): Promise<Exit> {
  return new Promise((resolve) => {
    // 'error' alone when it could not start (ENOENT, EACCES); 'exit' once it ran.
    child.once('error', (cause: NodeJS.ErrnoException) => resolve({ cause }));
    child.once('exit', (code, signal) =>
      resolve({
        ...(code !== null ? { exitCode: code } : {}),
        ...(signal ? { signal } : {}),
        ranMs: performance.now() - spawnedAt,
      }),
    );
  });
}
