import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { groupAlive } from './process-group.js';

// Where detached commands write their output: one directory per run, holding `owner` (the pid
// of the process that started it, then the command's pid). The owner removes its directory
// when it has read it; one killed first leaves it behind, and a later run removes it once
// neither the owner nor the command's process group is alive.

export function outputRoot(): string {
  return join(tmpdir(), 'crew-output');
}

/** Whether `dir` is a run directory made here (anything else is never removed). */
export function isOutputDir(dir: string, root = outputRoot()): boolean {
  return dirname(dir) === root && basename(dir).startsWith('run-');
}

/** Roots this process has made (or found): made once, not again before every command. */
const madeRoots = new Map<string, Promise<unknown>>();

function ensureRoot(root: string): Promise<unknown> {
  let made = madeRoots.get(root);
  if (!made) {
    made = mkdir(root, { recursive: true, mode: 0o700 });
    madeRoots.set(root, made);
    made.catch(() => madeRoots.delete(root));
  }
  return made;
}

export async function makeOutputDir(root = outputRoot()): Promise<string> {
  await ensureRoot(root);
  const dir = await mkdtemp(join(root, 'run-')).catch(async (err: NodeJS.ErrnoException) => {
    // The root went away since (a cleaner of the temporary directory): make it again.
    if (err.code !== 'ENOENT') throw err;
    madeRoots.delete(root);
    await ensureRoot(root);
    return mkdtemp(join(root, 'run-'));
  });
  await writeFile(join(dir, 'owner'), `${process.pid}\n`);
  return dir;
}

/** The files a run directory holds: its owner's record and the command's output. */
const RUN_FILES = ['owner', 'stdout', 'stderr'];

/**
 * Removes a run directory its owner has read: its known files side by side, then the directory;
 * anything else found in it, the whole tree.
 */
export async function removeOutputDir(dir: string): Promise<void> {
  await Promise.all(RUN_FILES.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
}

/** Records the command's pid beside its owner's, so a sweep can tell when it has ended. */
export async function recordCommandPid(dir: string, pid: number): Promise<void> {
  await writeFile(join(dir, 'owner'), `${process.pid} ${pid}\n`);
}

/** Removes the directories of owners that were killed, once their commands have ended too. */
export async function sweepOutputDirs(root = outputRoot()): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const dir = join(root, name);
    if (!isOutputDir(dir, root)) continue;
    const [owner, command] = (await readFile(join(dir, 'owner'), 'utf8').catch(() => '')).trim().split(' ').map(Number);
    if (!owner || processAlive(owner) || (command && groupAlive(command))) continue;
    await rm(dir, { recursive: true, force: true });
  }
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
