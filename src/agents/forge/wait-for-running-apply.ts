import { ApplyInDoubtError } from './change-runner.js';
import { clearRunningApply, isStillRunning, readRunningApply } from './running-apply.js';

export interface WaitForRunningApplyOptions {
  /** Give up (the apply is in doubt) at this time, in ms since the epoch. */
  until: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

// Terraform checks its own lock about this often, too.
const POLL_MS = 1_000;

/**
 * Waits while the apply recorded in `file` (by a Forge that may have died since) still runs,
 * then forgets it. Throws ApplyInDoubtError if it is still running at `until`.
 */
export async function waitForRunningApply(file: string, o: WaitForRunningApplyOptions): Promise<void> {
  const run = await readRunningApply(file);
  if (!run) return;
  const started = o.now();
  while (isStillRunning(run)) {
    if (o.now() >= o.until) {
      const waited = Math.round((o.now() - started) / 1000);
      throw new ApplyInDoubtError(
        `an earlier apply of this stack (terraform pid ${run.pid}, started ${run.startedAt}) is still running after a wait of ${waited} s; its output is in ${run.stdoutPath} and ${run.stderrPath}`,
      );
    }
    await o.sleep(Math.max(0, Math.min(POLL_MS, o.until - o.now())));
  }
  await clearRunningApply(file, run.pid);
}
