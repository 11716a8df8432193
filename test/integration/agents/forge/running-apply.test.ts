import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyInDoubtError } from '../../../../src/agents/forge/change-runner.js';
import { signalGroup } from '../../../../src/agents/forge/process-group.js';
import {
  clearRunningApply,
  isStillRunning,
  readBootId,
  readRunningApply,
  recordRunningApply,
  type RunningApply,
} from '../../../../src/agents/forge/running-apply.js';
import { waitForRunningApply } from '../../../../src/agents/forge/wait-for-running-apply.js';
import {} from '../../../support/terraform-harness.js';
import { waitFor } from '../../../support/wait-for.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A detached process group standing in for a Terraform left running by a killed Forge. */
function runningGroup(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  cleanup.push(() => signalGroup(pid, 'SIGKILL'));
  return pid;
}

const record = (pid: number, over: Partial<RunningApply> = {}): RunningApply => ({
  pid,
  host: hostname(),
  ...(readBootId() ? { bootId: readBootId()! } : {}),
  planFile: '/x/p.tfplan',
  startedAt: '2026-12-01T10:00:00.000Z',
  stdoutPath: '/nonexistent/stdout',
  stderrPath: '/nonexistent/stderr',
  ...over,
});

describe('the record of a running apply', () => {
  it('says an apply is running only for a live process group of this host and boot', async () => {
    const pid = runningGroup();
    expect(isStillRunning(record(pid))).toBe(true);
    expect(isStillRunning(record(pid, { host: 'another-host' }))).toBe(false);
    expect(isStillRunning(record(pid, { bootId: 'an-earlier-boot' }), { host: hostname(), bootId: 'this-boot' })).toBe(
      false,
    );
    signalGroup(pid, 'SIGKILL');
    expect(await waitFor(() => !isStillRunning(record(pid)))).toBe(true);
  });

  it('reads nothing from a torn or foreign file', async () => {
    const dir = tempDir('crew-record-');
    const file = join(dir, 'running.json');
    writeFileSync(file, '{"pid": 12');
    expect(await readRunningApply(file)).toBeUndefined();
    writeFileSync(file, '{"pid": 1, "host": "h", "startedAt": "t"}');
    expect(await readRunningApply(file)).toBeUndefined();
    await recordRunningApply(file, record(4242));
    expect(await readRunningApply(file)).toMatchObject({ pid: 4242 });
  });

  it('is cleared only once its group has ended, and removes no directory the runner did not make', async () => {
    const dir = tempDir('crew-record-');
    const file = join(dir, 'running.json');
    const pid = runningGroup();
    const notOurs = join(dir, 'important');
    mkdirSync(notOurs);
    await recordRunningApply(file, record(pid, { stdoutPath: join(notOurs, 'stdout') }));
    await clearRunningApply(file, pid);
    expect(existsSync(file)).toBe(true); // still running: kept
    signalGroup(pid, 'SIGKILL');
    await waitFor(() => !isStillRunning(record(pid)));
    await clearRunningApply(file, pid);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(notOurs)).toBe(true);
  });

  it('is waited for while it runs, and reported in doubt if it outlives the wait', async () => {
    const dir = tempDir('crew-record-');
    const file = join(dir, 'running.json');
    const pid = runningGroup();
    await recordRunningApply(file, record(pid));
    let now = 0;
    const sleeps: number[] = [];
    // A fake clock: each sleep moves it, so the wait ends without real waiting.
    const clock = { until: 3_000, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
    const err = await waitForRunningApply(file, clock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyInDoubtError);
    expect((err as Error).message).toContain(
      `terraform pid ${pid}, started 2026-12-01T10:00:00.000Z) is still running after a wait of 3 s`,
    );
    expect(sleeps).toEqual([1000, 1000, 1000]);

    signalGroup(pid, 'SIGKILL');
    await waitFor(() => !isStillRunning(record(pid)));
    now = 0;
    await waitForRunningApply(file, clock);
    expect(await readRunningApply(file)).toBeUndefined();
  });
});
