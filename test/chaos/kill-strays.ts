import { readdirSync, readlinkSync } from 'node:fs';

/**
 * SIGKILLs processes working inside `dir`: the terraform runs a killed worker left behind
 * (they run in their own process group, so the worker's SIGKILL does not reach them).
 * Returns their pids.
 */
export function killStrays(dir: string): number[] {
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone meanwhile, or not ours to inspect
    }
    if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already exited
    }
  }
  return killed;
}
