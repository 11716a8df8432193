import { execa } from 'execa';
import { repoPath } from './paths.js';

export const CREW_BIN = repoPath('bin', 'crew.js');

export interface CrewResult {
  code: number;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** A `crew` process still running: a test can kill it from outside, as an operator's kill -9 would. */
export interface RunningCrew {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Its result once it has exited. */
  done: Promise<CrewResult>;
}

/** Starts the real `crew` CLI (the built one) as a separate process. */
export function spawnCrew(args: string[], env: Record<string, string>, timeoutMs = 120_000): RunningCrew {
  const subprocess = execa('node', [CREW_BIN, ...args], {
    env: { CREW_LOG_LEVEL: 'warn', ...env },
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
  });
  const done = subprocess.then((r) => ({
    code: typeof r.exitCode === 'number' ? r.exitCode : -1,
    ...(r.signal ? { signal: r.signal } : {}),
    stdout: String(r.stdout),
    stderr: String(r.stderr),
  }));
  return { pid: subprocess.pid ?? -1, kill: (signal) => subprocess.kill(signal), done };
}

/** Runs the real `crew` CLI (the built one) as a separate process and collects its output. */
export async function runCrew(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CrewResult> {
  return spawnCrew(args, env, timeoutMs).done;
}

/** Parses the one JSON object a `--json` command prints, with the output in the error if it is not. */
export function jsonOf<T = Record<string, unknown>>(r: CrewResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}
