import { tmpdir } from 'node:os';
import { runDetachedProcess } from '../../agents/forge/run-detached-process.js';

/**
 * Runs `<bin> <args>` (a version query) through the crew's one process starter: argument
 * arrays, no shell, only the given environment. Its stdout, or an error saying why it did not run.
 */
export async function runVersionCommand(bin: string, args: string[], env: Record<string, string>): Promise<string> {
  const r = await runDetachedProcess({ bin, args, cwd: tmpdir(), env, timeoutMs: 30_000, killGraceMs: 1_000 });
  if (r.missing) throw new Error(`${bin} not found`);
  if (r.timedOut) throw new Error(`${bin} did not answer within 30 s`);
  if (r.exitCode !== 0)
    throw new Error(`${bin} exited ${r.exitCode ?? r.signal}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}
