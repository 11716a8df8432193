import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { groupAlive } from './process-group.js';

// Where detached commands write their output: one directory per run, holding `owner` (the pid
// of the process that started it, written before the command starts) and `command` (the
// command's pid, once it runs). The owner removes its directory when it has read it; one killed
// first leaves it behind, and a later run removes it once neither the owner nor the command's
// process group is alive.

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

/**
 * Records the command's pid beside its owner's, so a sweep can tell when it has ended. A file of
 * its own: rewriting `owner` left it empty to a kill between truncating and writing it, and a
 * directory without an owner was never removed.
 */
export async function recordCommandPid(dir: string, pid: number): Promise<void> {
  await writeFile(join(dir, 'command'), `${pid}\n`);
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
