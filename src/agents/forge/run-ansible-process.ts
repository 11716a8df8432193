import { execa } from 'execa';
import { CrewError } from '../../errors.js';
import { redactText } from '../../log/redact-text.js';
import { groupAlive, signalGroup } from './process-group.js';

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

/** ansible-playbook could not run to completion (missing, timed out, killed). */
export class AnsibleError extends CrewError {
  readonly timedOut: boolean;
  constructor(message: string, o: { timedOut?: boolean; missing?: boolean; cause?: unknown } = {}) {
    super(o.timedOut ? 'CREW_ERR_TIMEOUT' : o.missing ? 'CREW_ERR_NOT_FOUND' : 'CREW_ERR_INTERNAL', message, o.cause ? { cause: o.cause } : undefined);
    this.name = 'AnsibleError';
    this.timedOut = o.timedOut ?? false;
  }
}

const TAIL_LINES = 40;

/** Runs ansible-playbook in its own process group, so a kill reaches its workers and modules too. */
export async function runAnsibleProcess(o: RunAnsibleOptions): Promise<RunAnsibleResult> {
  const lines: string[] = [];
  const log = function* (line: unknown) {
    const text = redactText(String(line));
    lines.push(text);
    if (lines.length > TAIL_LINES) lines.shift();
    o.onLog?.(text);
    yield line;
  };
  const subprocess = execa(o.bin, o.args, {
    cwd: o.cwd,
    env: o.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: 'ignore',
    stdout: [log],
    stderr: [log],
    maxBuffer: 64 * 1024 * 1024,
  });
  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(subprocess.pid, 'SIGTERM');
    forceKill = setTimeout(() => signalGroup(subprocess.pid, 'SIGKILL'), o.killGraceMs ?? 5_000);
  }, o.timeoutMs);
  try {
    const result = await subprocess;
    const tail = lines.join('\n');
    if (timedOut) throw new AnsibleError(`ansible-playbook timed out after ${o.timeoutMs} ms: ${tail.slice(-500)}`, { timedOut: true });
    if (result.exitCode === undefined) {
      const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      const message = missing ? `${o.bin} not found: install Ansible (Debian package ansible-core) or set the binary path` : `ansible-playbook could not start (${String(result.signal ?? 'unknown')})`;
      throw new AnsibleError(message, { missing, cause: result.cause });
    }
    return { exitCode: result.exitCode, tail };
  } finally {
    clearTimeout(timer);
    if (forceKill && !groupAlive(subprocess.pid)) clearTimeout(forceKill);
  }
}

