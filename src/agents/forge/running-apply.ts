import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isOutputDir } from './output-dirs.js';
import { groupAlive } from './process-group.js';

/**
 * The apply a Forge started in a stack's workspace, recorded while it runs: if that Forge is
 * killed, Terraform carries on, and the next Forge reads this to wait for it rather than
 * treat its state lock as a failure (or roll back under it).
 */
export interface RunningApply {
  /** Terraform's pid, also its process group id. */
  pid: number;
  host: string;
  /** The kernel's boot id: a pid recorded before a reboot names nothing now. */
  bootId?: string;
  planFile: string;
  startedAt: string;
  stdoutPath: string;
  stderrPath: string;
}

export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically (temp file, then rename), so a kill mid-write leaves the old record or none. */
export async function recordRunningApply(file: string, run: RunningApply): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(run)}\n`);
  await rename(tmp, file);
}

export async function readRunningApply(file: string): Promise<RunningApply | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as Partial<RunningApply>;
    if (
      typeof r.pid === 'number' &&
      Number.isInteger(r.pid) &&
      r.pid > 1 &&
      typeof r.host === 'string' &&
      typeof r.startedAt === 'string'
    )
      return r as RunningApply;
  } catch {
    // A torn or foreign file records nothing we can wait for.
  }
  return undefined;
}

/**
 * Whether the recorded apply may still be running. Only a record from this host and this boot
 * can be checked; for any other, the state lock is what tells (Terraform holds it while it works).
 */
export function isStillRunning(
  run: RunningApply,
  here: { host: string; bootId?: string } = { host: hostname(), bootId: readBootId() },
): boolean {
  if (run.host !== here.host) return false;
  if (run.bootId && here.bootId && run.bootId !== here.bootId) return false;
  return groupAlive(run.pid);
}

/** Removes the record of the apply `pid` once its process group has ended, with its output. */
export async function clearRunningApply(file: string, pid: number): Promise<void> {
  const run = await readRunningApply(file);
  if (!run || run.pid !== pid || groupAlive(pid)) return;
  await rm(file, { force: true });
  // Only ever a directory runDetachedProcess made: the record is a file anyone could edit.
  const outDir = typeof run.stdoutPath === 'string' ? dirname(run.stdoutPath) : '';
  if (isOutputDir(outDir)) await rm(outDir, { recursive: true, force: true });
}
