import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURE_BIN } from './paths.js';

/** The real terraform whose applies sleep in the VPC's provisioner (test/fixtures/bin/terraform-slow-apply). */
export const SLOW_TERRAFORM = join(FIXTURE_BIN, 'terraform-slow-apply');

export interface SlowApplyLog {
  path: string;
  /** "started" / "finished", one line per provisioner run. */
  lines(): Promise<string[]>;
}

export function slowApplyLog(dataDir: string, stack: string): SlowApplyLog {
  const path = join(dataDir, `${stack}.slow-apply.log`);
  return {
    path,
    lines: async () => (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

/** Env for crew processes whose applies of `stack` take `seconds` longer, holding the state lock. */
export function slowApplyEnv(dataDir: string, stack: string, seconds: number): Record<string, string> {
  return { TF_CREW_SLOW_APPLY_SEC: String(seconds), TF_CREW_SLOW_LOG: slowApplyLog(dataDir, stack).path };
}

/** Waits until the log holds exactly `expected` (the apply reached that point). */
export async function waitForSlowApply(log: SlowApplyLog, expected: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await log.lines();
    if (lines.join('\n') === expected.join('\n')) return;
    if (Date.now() > deadline)
      throw new Error(`${log.path} holds [${lines.join(', ')}], expected [${expected.join(', ')}]`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
