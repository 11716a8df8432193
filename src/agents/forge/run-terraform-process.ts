import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { redactText } from '../../log/redact-text.js';
import { TerraformError, isStalePlanMessage } from './terraform-error.js';
import { groupAlive, signalGroup } from './process-group.js';

export interface RunTerraformOptions {
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Time between SIGTERM (terraform stops gracefully) and SIGKILL of the process group. */
  killGraceMs: number;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  /** Stdout is data (JSON), not log lines. */
  captureStdout?: boolean;
  /** Exit codes that are results rather than failures (plan -detailed-exitcode: 2). */
  okExitCodes?: number[];
}

export interface RunTerraformResult {
  exitCode: number;
  stdout: string;
}

const MAX_STDERR = 8000;

/** Runs one terraform command in its own process group, so a kill reaches its plugins too. */
export async function runTerraformProcess(o: RunTerraformOptions): Promise<RunTerraformResult> {
  const command = `terraform ${o.args[0] ?? ''}`.trim();
  if (o.signal?.aborted) throw new TerraformError(`${command} cancelled before start`, { command, cancelled: true, stderr: '' });
  // Output goes to files, not pipes: if this process is killed, terraform must not die of
  // SIGPIPE half-way through an apply. It finishes, and the next process finds the result.
  const outDir = await mkdtemp(join(tmpdir(), 'crew-tf-'));
  const outFile = join(outDir, 'stdout');
  const errFile = join(outDir, 'stderr');
  const subprocess = execa(o.bin, o.args, {
    cwd: o.cwd,
    env: o.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: 'ignore',
    stdout: { file: outFile },
    stderr: { file: errFile },
  });
  let timedOut = false;
  let cancelled = false;
  let forceKill: NodeJS.Timeout | undefined;
  const killGroup = () => {
    signalGroup(subprocess.pid, 'SIGTERM');
    forceKill ??= setTimeout(() => signalGroup(subprocess.pid, 'SIGKILL'), o.killGraceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, o.timeoutMs);
  const onAbort = () => {
    cancelled = true;
    killGroup();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const settled = await subprocess;
    const [stdoutText, stderrText] = await Promise.all([readFile(outFile, 'utf8').catch(() => ''), readFile(errFile, 'utf8').catch(() => '')]);
    if (o.onLog) {
      const lines = [...(o.captureStdout ? [] : stdoutText.split('\n')), ...stderrText.split('\n')].filter(Boolean);
      for (const line of lines) o.onLog(redactText(line));
    }
    const result = { ...settled, stdout: stdoutText, stderr: stderrText };
    const stderr = tail(redactText(String(result.stderr ?? '')));
    if (timedOut || cancelled) {
      const why = timedOut ? `timed out after ${o.timeoutMs} ms` : 'cancelled';
      throw new TerraformError(`${command} ${why}`, { command, timedOut, cancelled, signal: result.signal, stderr });
    }
    const code = result.exitCode;
    if (code === undefined) {
      const cause = result.cause;
      const missing = (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || (settled as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((cause as Error | undefined)?.message ?? ''));
      const message = missing ? `terraform binary not found: ${o.bin} (install Terraform >= 1.4 or set bin)` : `${command} could not start`;
      throw new TerraformError(message, { command, signal: result.signal, stderr, cause });
    }
    if (code !== 0 && !(o.okExitCodes ?? []).includes(code)) {
      const stale = isStalePlanMessage(stderr);
      throw new TerraformError(`${command} failed (exit ${code})${stale ? ': saved plan is stale' : ''}: ${lastLines(stderr)}`, {
        command,
        exitCode: code,
        stale,
        stderr,
      });
    }
    return { exitCode: code, stdout: String(result.stdout ?? '') };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    // Leave the SIGKILL armed only while the group may still be alive.
    if (forceKill && !groupAlive(subprocess.pid)) clearTimeout(forceKill);
    await rm(outDir, { recursive: true, force: true });
  }
}

function tail(text: string): string {
  return text.length > MAX_STDERR ? text.slice(-MAX_STDERR) : text;
}

function lastLines(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^[│╷╵]$/.test(l));
  return lines.slice(-6).join(' ').slice(0, 1000) || 'no error output';
}
