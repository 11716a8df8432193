import { redactText } from '../../log/redact-text.js';
import { describeAwsCredentialFailure } from './describe-aws-credential-failure.js';
import { readTerraformJsonUi, type TerraformJsonUi } from './read-terraform-json-ui.js';
import { runDetachedProcess, type StartedChild } from './run-detached-process.js';
import { SubprocessError, type SubprocessErrorDetails } from './subprocess-error.js';

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
  /**
   * Stdout is Terraform's machine-readable UI (the command runs with -json): the log gets its
   * human lines, and its error diagnostics count as what the command printed on stderr.
   */
  jsonUi?: boolean;
  /** Exit codes that are results rather than failures (plan -detailed-exitcode: 2). */
  okExitCodes?: number[];
  /** Told once terraform runs (its pid is its process group id). */
  onStart?: (child: StartedChild) => void | Promise<void>;
  /** Told how long terraform's process ran, spawn to exit, in seconds (this process's handling around it left out). */
  onExited?: (seconds: number) => void;
}

export interface RunTerraformResult {
  exitCode: number;
  stdout: string;
  /** With `jsonUi`: what the messages said. */
  ui?: TerraformJsonUi;
}

const MAX_STDERR = 8000;

function terraformError(message: string, details: Omit<SubprocessErrorDetails, 'failureCode'>): SubprocessError {
  return new SubprocessError(message, { ...details, failureCode: 'CREW_ERR_TERRAFORM' });
}

/** Runs one terraform command in its own process group, so a kill reaches its plugins too. */
export async function runTerraformProcess(o: RunTerraformOptions): Promise<RunTerraformResult> {
  const command = `terraform ${o.args[0] ?? ''}`.trim();
  if (o.signal?.aborted)
    throw terraformError(`${command} cancelled before start`, { command, cancelled: true, stderr: '' });
  // Detached, with output in files the child writes itself: if this process is killed,
  // terraform must not die of SIGPIPE half-way through an apply. It finishes, and the next
  // process finds the result.
  const result = await runDetachedProcess({
    bin: o.bin,
    args: o.args,
    cwd: o.cwd,
    env: o.env,
    timeoutMs: o.timeoutMs,
    killGraceMs: o.killGraceMs,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onStart ? { onStart: o.onStart } : {}),
  });
  if (result.ranMs !== undefined) {
    try {
      o.onExited?.(result.ranMs / 1000);
    } catch {
      // An observer's failure is not the command's.
    }
  }
  const ui = o.jsonUi ? readTerraformJsonUi(result.stdout) : undefined;
  if (o.onLog) {
    const out = ui ? ui.logLines : o.captureStdout ? [] : result.stdout.split('\n');
    // Redacted as one text (one pass of each pattern, a secret split across lines caught too).
    const text = redactText([...out, ...result.stderr.split('\n')].filter(Boolean).join('\n'));
    for (const line of text.split('\n')) if (line) o.onLog(line);
  }
  const stderr = tail(redactText([result.stderr, ui?.errors].filter(Boolean).join('\n')));
  const { timedOut, cancelled } = result;
  if (timedOut || cancelled) {
    const why = timedOut ? `timed out after ${o.timeoutMs} ms` : 'cancelled';
    throw terraformError(`${command} ${why}`, {
      command,
      timedOut,
      cancelled,
      ...(result.signal ? { signal: result.signal } : {}),
      stderr,
    });
  }
  const code = result.exitCode;
  if (code === undefined) {
    const message = result.missing
      ? `terraform binary not found: ${o.bin} (install Terraform >= 1.4 or set bin)`
      : `${command} could not start`;
    throw terraformError(message, {
      command,
      missing: result.missing,
      ...(result.signal ? { signal: result.signal } : {}),
      stderr,
      cause: result.cause,
    });
  }
  if (code !== 0 && !(o.okExitCodes ?? []).includes(code)) {
    const stale = /Saved plan is stale/i.test(stderr);
    const locked = /Error acquiring the state lock/i.test(stderr);
    const credentials = describeAwsCredentialFailure(stderr);
    const note = stale
      ? ': saved plan is stale'
      : locked
        ? ': the state is locked by another Terraform'
        : credentials
          ? `: ${credentials}`
          : '';
    throw terraformError(`${command} failed (exit ${code})${note}: ${lastLines(stderr)}`, {
      command,
      exitCode: code,
      stale,
      locked,
      stderr,
    });
  }
  return { exitCode: code, stdout: result.stdout, ...(ui ? { ui } : {}) };
}

function tail(text: string): string {
  return text.length > MAX_STDERR ? text.slice(-MAX_STDERR) : text;
}

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[│╷╵]$/.test(l));
  return lines.slice(-6).join(' ').slice(0, 1000) || 'no error output';
}
