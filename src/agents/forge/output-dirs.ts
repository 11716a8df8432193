import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { groupAlive } from './process-group.js';

// Where detached commands write their output: one directory per run, holding `owner` (the pid
// of the process that started it, written before the command starts) and `command` (the
// command's pid, once it runs). The owner removes its directory when it has read it; one killed
// first leaves it behind, and a later run (a process's first, then one a minute) removes it once
// neither the owner nor the command's process group is alive.

export function outputRoot(): string {
  return join(tmpdir(), 'crew-output');
}

/** Whether `dir` is a run directory made here (anything else is never removed). */
export function isOutputDir(dir: string, root = outputRoot()): boolean {
  return dirname(dir) === root && basename(dir).startsWith('run-');
}

// A run's own files are a few bytes in a local temporary directory: they are made and read with
// synchronous calls, microseconds each, where every asynchronous one is a round trip through the
// thread pool on the way to each Terraform process. Removing them is left to the thread pool in
// the background (unlinking and rmdir cost more, and nothing waits for them but `close`); the
// sweep of other runs' leftovers stays asynchronous too: it runs while the command does.

/** Roots this process has made (or found): made once, not again before every command. */
const madeRoots = new Set<string>();

function ensureRoot(root: string): void {
  if (madeRoots.has(root)) return;
  mkdirSync(root, { recursive: true, mode: 0o700 });
  madeRoots.add(root);
}

export function makeOutputDir(root = outputRoot()): string {
  ensureRoot(root);
  let dir: string;
  try {
    dir = mkdtempSync(join(root, 'run-'));
  } catch (err) {
    // The root went away since (a cleaner of the temporary directory): make it again.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    madeRoots.delete(root);
    ensureRoot(root);
    dir = mkdtempSync(join(root, 'run-'));
  }
  writeFileSync(join(dir, 'owner'), `${process.pid}\n`);
  return dir;
}

/** The files a run directory holds: the pids of its owner and its command, and the command's output. */
const RUN_FILES = ['owner', 'command', 'stdout', 'stderr'];

/**
 * Removes a run directory its owner has read: its known files side by side, then the directory;
 * anything else found in it, the whole tree.
 */
export async function removeOutputDir(dir: string): Promise<void> {
  await Promise.all(RUN_FILES.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
}

/** Removals under way in the background (removeOutputDirLater). */
const removals = new Set<Promise<void>>();

/** Removes a run directory in the background; `outputDirsRemoved` waits for it. Never rejects. */
export function removeOutputDirLater(dir: string): void {
  const removal: Promise<void> = removeOutputDir(dir)
    .catch(() => undefined) // left behind: a later sweep removes it (its owner is this process)
    .finally(() => removals.delete(removal));
  removals.add(removal);
}

/** Resolves once every background removal started so far has ended (a process closing waits for it). */
export async function outputDirsRemoved(): Promise<void> {
  while (removals.size > 0) await Promise.all([...removals]);
}

/**
 * Records the command's pid beside its owner's, so a sweep can tell when it has ended. A file of
 * its own: rewriting `owner` left it empty to a kill between truncating and writing it, and a
 * directory without an owner was never removed.
 */
export function recordCommandPid(dir: string, pid: number): void {
  writeFileSync(join(dir, 'command'), `${pid}\n`);
}

/** The pids a file of a run directory holds, in order; an entry is undefined when empty or not a pid. */
async function readPids(path: string): Promise<Array<number | undefined>> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .trim()
    .split(/\s+/)
    .map(Number)
    .map((pid) => (Number.isInteger(pid) && pid > 0 ? pid : undefined));
}

/** Removes the directories of owners that were killed, once their commands have ended too. */
export async function sweepOutputDirs(root = outputRoot()): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const dir = join(root, name);
    if (!isOutputDir(dir, root)) continue;
    // Directories of earlier versions hold the command's pid as `owner`'s second field.
    const [owner, earlierCommand] = await readPids(join(dir, 'owner'));
    if (!owner) {
      // Its owner was killed between making it and writing `owner`: nothing runs there.
      if (await olderThan(dir, ORPHAN_AFTER_MS)) await rm(dir, { recursive: true, force: true });
      continue;
    }
    const [command = earlierCommand] = await readPids(join(dir, 'command'));
    if (processAlive(owner) || (command && groupAlive(command))) continue;
    await rm(dir, { recursive: true, force: true });
  }
}

/** How often a running process sweeps a root for leftovers while it runs commands. */
export const SWEEP_EVERY_MS = 60_000;

/** When this process last swept each root (sweepOutputDirsNowAndThen), in ms since the epoch. */
const sweptAt = new Map<string, number>();

/**
 * sweepOutputDirs at a command's start when this process has not swept `root` in the last
 * `everyMs`: leftovers appear only when an owner is killed, and a sweep reads every run
 * directory's files, a dozen file operations a command competing with Terraform for the CPU.
 * Resolves true when it swept.
 */
export async function sweepOutputDirsNowAndThen(
  root = outputRoot(),
  now = Date.now(),
  everyMs = SWEEP_EVERY_MS,
): Promise<boolean> {
  const last = sweptAt.get(root);
  if (last !== undefined && now - last < everyMs && now >= last) return false;
  sweptAt.set(root, now);
  await sweepOutputDirs(root);
  return true;
}

/** A run directory with no owner recorded this long after it was made is abandoned (its owner writes it at once). */
const ORPHAN_AFTER_MS = 3_600_000;

async function olderThan(path: string, ms: number): Promise<boolean> {
  const made = await stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  return made !== undefined && Date.now() - made > ms;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
