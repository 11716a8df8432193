import { redactText } from '../../log/redact-text.js';
import { runDetachedProcess } from './run-detached-process.js';
import { SubprocessError } from './subprocess-error.js';

export interface RunAnsibleOptions {
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL of the process group. */
  killGraceMs?: number;
  onLog?: (line: string) => void;
}

export interface RunAnsibleResult {
  exitCode: number;
  /** The last lines of output, redacted: where a failed task's message is. */
  tail: string;
}

const TAIL_LINES = 40;

/** Runs ansible-playbook in its own process group, so a kill reaches its workers and modules too. */
export async function runAnsibleProcess(o: RunAnsibleOptions): Promise<RunAnsibleResult> {
  // Detached, output in files: a playbook half-way through a change finishes even if we die.
  const result = await runDetachedProcess({
    bin: o.bin,
    args: o.args,
    cwd: o.cwd,
    env: o.env,
    timeoutMs: o.timeoutMs,
    killGraceMs: o.killGraceMs ?? 5_000,
  });
  const lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter(Boolean)
    .map((line) => redactText(line));
  if (o.onLog) for (const line of lines) o.onLog(line);
  const tail = lines.slice(-TAIL_LINES).join('\n');
  const failed = {
    command: 'ansible-playbook',
    failureCode: 'CREW_ERR_ANSIBLE',
    ...(result.signal ? { signal: result.signal } : {}),
  } as const;
  if (result.timedOut)
    throw new SubprocessError(`ansible-playbook timed out after ${o.timeoutMs} ms`, {
      ...failed,
      timedOut: true,
      stderr: tail,
    });
  if (result.exitCode === undefined) {
    const message = result.missing
      ? `${o.bin} not found: install Ansible (Debian package ansible-core) or set the binary path`
      : `ansible-playbook could not start (${String(result.signal ?? 'unknown')})`;
    throw new SubprocessError(message, { ...failed, missing: result.missing, stderr: '', cause: result.cause });
  }
  return { exitCode: result.exitCode, tail };
}
