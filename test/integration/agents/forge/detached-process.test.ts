import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  makeOutputDir,
  outputDirsRemoved,
  removeOutputDir,
  sweepOutputDirs,
  sweepOutputDirsNowAndThen,
  SWEEP_EVERY_MS,
} from '../../../../src/agents/forge/output-dirs.js';
import { runDetachedProcess } from '../../../../src/agents/forge/run-detached-process.js';
import { FIXTURE_BIN } from '../../../support/terraform-harness.js';
import { repoPath } from '../../../support/paths.js';
import { waitFor } from '../../../support/wait-for.js';

// The parent must be a process of its own that the test can kill -9, so it runs the built code.
const DIST_FORGE = `${repoPath('dist', 'src', 'agents', 'forge')}/`;
const CHATTY = join(FIXTURE_BIN, 'chatty-after-delay');

// Runs one of the runners on the fixture and waits for it, as Forge would.
const PARENT = `
const [modulePath, fn, bin, cwd] = process.argv.slice(1);
const mod = await import(modulePath);
const env = { PATH: process.env.PATH, CREW_TEST_MARKER: process.env.CREW_TEST_MARKER };
await mod[fn]({ bin, args: [], cwd, env, timeoutMs: 60000, killGraceMs: 1000 });
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const marker = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

describe('a Terraform or Ansible run when its parent is killed', () => {
  for (const [name, file, fn] of [
    ['terraform', 'run-terraform-process.js', 'runTerraformProcess'],
    ['ansible-playbook', 'run-ansible-process.js', 'runAnsibleProcess'],
  ] as const) {
    it(`a ${name} run outlives kill -9 of its parent and keeps writing its output to the end`, async () => {
      const module = join(DIST_FORGE, file);
      if (!existsSync(module))
        throw new Error(`${module} is missing: run \`npm run build\` first (the killed parent runs the built code)`);
      const dir = mkdtempSync(join(tmpdir(), 'crew-detached-'));
      dirs.push(dir);
      const markerFile = join(dir, 'marker');
      const parent = execa('node', ['--input-type=module', '-e', PARENT, pathToFileURL(module).href, fn, CHATTY, dir], {
        env: { PATH: process.env.PATH ?? '', CREW_TEST_MARKER: markerFile, TMPDIR: dir },
        extendEnv: false,
        reject: false,
      });
      expect(await waitFor(() => marker(markerFile).includes('started'), 20_000)).toBe(true);
      parent.kill('SIGKILL');
      expect((await parent).signal).toBe('SIGKILL');
      // 4,000 lines written after the parent died: over a pipe the first one would be fatal.
      expect(await waitFor(() => marker(markerFile).includes('finished'), 20_000)).toBe(true);
      expect(marker(markerFile)).toEqual(['started', 'finished']);
      const [left] = readdirSync(join(dir, 'crew-output'));
      const output = (name: string) => readFileSync(join(dir, 'crew-output', left!, name), 'utf8');
      expect(output('stdout')).toMatch(/^out 1\n[^]*\nout 2000\n$/);
      expect(output('stderr')).toMatch(/^err 1\n[^]*\nerr 2000\n$/);

      // Once its owner is dead and it has ended, a later run clears what was left behind; a
      // directory whose owner lives (this process) stays.
      // The root is passed, not set through TMPDIR: other work in this process keeps its own.
      const root = join(dir, 'crew-output');
      const mine = basename(makeOutputDir(root));
      const deadline = Date.now() + 10_000;
      await sweepOutputDirs(root);
      while (readdirSync(root).length > 1 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        await sweepOutputDirs(root);
      }
      expect(readdirSync(root)).toEqual([mine]);
    });
  }
});

describe('run directories', () => {
  it('are made again when their root went away since the last run, and removed once read, whatever they hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crew-rundirs-'));
    dirs.push(dir);
    const root = join(dir, 'crew-output');
    const first = makeOutputDir(root);
    expect(readFileSync(join(first, 'owner'), 'utf8')).toBe(`${process.pid}\n`);
    rmSync(root, { recursive: true, force: true });
    // This process made the root once; a cleaner removed it since.
    const second = makeOutputDir(root);
    expect(readdirSync(root)).toEqual([basename(second)]);
    writeFileSync(join(second, 'stdout'), 'out');
    writeFileSync(join(second, 'something-else'), 'kept by nobody');
    await removeOutputDir(second);
    expect(readdirSync(root)).toEqual([]);
  });

  it('a run reads what the command wrote and leaves no directory behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crew-rundirs-'));
    dirs.push(dir);
    const before = existsSync(join(tmpdir(), 'crew-output')) ? readdirSync(join(tmpdir(), 'crew-output')) : [];
    const r = await runDetachedProcess({
      bin: 'sh',
      args: ['-c', 'echo out; echo err >&2; exit 3'],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: 10_000,
      killGraceMs: 500,
    });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, cancelled: false });
    expect(r.ranMs).toBeGreaterThan(0);
    // Removed in the background: what a closing crew waits for.
    await outputDirsRemoved();
    const after = readdirSync(join(tmpdir(), 'crew-output'));
    // Others' runs may come and go meanwhile; none is new from this one.
    expect(
      after
        .filter((d) => !before.includes(d))
        .filter(
          (d) =>
            existsSync(join(tmpdir(), 'crew-output', d, 'owner')) &&
            readFileSync(join(tmpdir(), 'crew-output', d, 'owner'), 'utf8').startsWith(`${process.pid}`),
        ),
    ).toEqual([]);
  });

  it('are swept once their owner and command have ended, however the owner was killed while writing them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crew-rundirs-'));
    dirs.push(dir);
    const root = join(dir, 'crew-output');
    mkdirSync(root);
    // The pid of a process that has ended.
    const ended = (await execa('sh', ['-c', 'echo $$'])).stdout.trim();
    // A command still running in a process group of its own.
    const running = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => running.once('exit', r));
    const run = (name: string, files: Record<string, string>, ageMs = 0) => {
      const d = join(root, name);
      mkdirSync(d);
      for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
      const at = (Date.now() - ageMs) / 1000;
      utimesSync(d, at, at);
    };
    try {
      // Killed as it began writing the command's pid: `owner` is whole, `command` empty.
      run('run-mid-write', { owner: `${ended}\n`, command: '' });
      run('run-ended', { owner: `${ended}\n`, command: `${ended}\n` });
      run('run-running', { owner: `${ended}\n`, command: `${running.pid}\n` });
      // As earlier versions wrote it: both pids in `owner`.
      run('run-earlier-running', { owner: `${ended} ${running.pid}\n` });
      run('run-earlier-ended', { owner: `${ended} ${ended}\n` });
      // Killed between making the directory and writing `owner`: removed once clearly abandoned.
      run('run-no-owner-new', {});
      run('run-no-owner-old', {}, 2 * 3_600_000);
      run('run-owner-alive', { owner: `${process.pid}\n` });
      await sweepOutputDirs(root);
      expect(readdirSync(root).sort()).toEqual([
        'run-earlier-running',
        'run-no-owner-new',
        'run-owner-alive',
        'run-running',
      ]);
      running.kill('SIGKILL');
      await exited;
      await sweepOutputDirs(root);
      expect(readdirSync(root).sort()).toEqual(['run-no-owner-new', 'run-owner-alive']);
    } finally {
      running.kill('SIGKILL');
    }
  });

  it("are swept at a process's first command and then at most once a minute, not before every command", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crew-rundirs-'));
    dirs.push(dir);
    const root = join(dir, 'crew-output');
    mkdirSync(root);
    const ended = (await execa('sh', ['-c', 'echo $$'])).stdout.trim();
    const leftover = (name: string) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'owner'), `${ended}\n`);
      writeFileSync(join(root, name, 'command'), `${ended}\n`);
    };
    const t0 = Date.now();
    leftover('run-first');
    expect(await sweepOutputDirsNowAndThen(root, t0)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
    // Killed owners' directories left since: kept until a minute has passed.
    leftover('run-second');
    expect(await sweepOutputDirsNowAndThen(root, t0 + 1_000)).toBe(false);
    expect(await sweepOutputDirsNowAndThen(root, t0 + SWEEP_EVERY_MS - 1)).toBe(false);
    expect(readdirSync(root)).toEqual(['run-second']);
    expect(await sweepOutputDirsNowAndThen(root, t0 + SWEEP_EVERY_MS)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
    // A clock set back does not stop sweeping for good.
    leftover('run-third');
    expect(await sweepOutputDirsNowAndThen(root, t0 - 5_000)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });
});
