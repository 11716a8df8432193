import type { EnvSource } from '../../config/read-env-values.js';
import { CrewError } from '../../errors.js';
import { buildTerraformEnv } from './build-terraform-env.js';
import { type RunTerraformOptions, type RunTerraformResult, runTerraformProcess } from './run-terraform-process.js';

export interface TerraformRunnerOptions {
  bin?: string;
  timeoutMs?: number;
  /** Where PATH, HOME and TF_* come from (the crew's config.inheritedEnv); nothing else is taken. */
  inheritEnv: EnvSource;
  /** Added to the minimal environment terraform gets (PATH, HOME, TF_*). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  /** Grace between SIGTERM and SIGKILL of the process group on timeout or cancel. */
  killGraceMs?: number;
  /** How long plan and apply wait for a state lock another Terraform holds (default 120 s). */
  lockTimeoutSec?: number;
  /** Told when each command's process has started (while it runs, this process is free to do other work). */
  onStarted?: (command: string) => void;
  /** Told how long each command's process ran, spawn to exit, in seconds. */
  onProcessEnded?: (command: string, seconds: number) => void;
}

export interface PlanOptions {
  out: string;
  destroy?: boolean;
  varFile?: string;
  /** `-refresh-only`: what the real resources look like now against the state (drift), changing nothing. */
  refreshOnly?: boolean;
}

// Long enough for a real ASG to settle; a runaway apply still ends.
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_KILL_GRACE_MS = 10_000;
const DEFAULT_LOCK_TIMEOUT_SEC = 120;

/** Runs terraform commands with argument arrays (never a shell), redacted logs and kill-on-timeout. */
export class TerraformRunner {
  private readonly options: TerraformRunnerOptions;

  constructor(options: TerraformRunnerOptions) {
    this.options = { ...options };
  }

  /** The same runner, cancelled by `signal` (e.g. when the plan it works for is cancelled). */
  withSignal(signal: AbortSignal | undefined): TerraformRunner {
    return signal ? new TerraformRunner({ ...this.options, signal }) : this;
  }

  /** The same runner with these variables added to terraform's environment (they win over inherited ones). */
  withEnv(env: Record<string, string>): TerraformRunner {
    return Object.keys(env).length
      ? new TerraformRunner({ ...this.options, env: { ...this.options.env, ...env } })
      : this;
  }

  async init(dir: string): Promise<void> {
    await this.run(dir, ['init', '-input=false', '-no-color']);
  }

  /** `-detailed-exitcode`: 0 means no changes, 2 means changes, anything else failed. */
  async plan(dir: string, opts: PlanOptions): Promise<{ changes: boolean }> {
    // A process killed mid-run may leave a terraform child finishing; wait for its state lock.
    const args = ['plan', '-input=false', '-no-color', this.lockTimeout(), '-detailed-exitcode', `-out=${opts.out}`];
    if (opts.destroy) args.push('-destroy');
    if (opts.refreshOnly) args.push('-refresh-only');
    if (opts.varFile) args.push(`-var-file=${opts.varFile}`);
    const { exitCode } = await this.run(dir, args, { okExitCodes: [2] });
    return { changes: exitCode === 2 };
  }

  async showJson(dir: string, planFile: string): Promise<unknown> {
    const { stdout } = await this.run(dir, ['show', '-json', '-no-color', planFile], { captureStdout: true });
    return parseJson(stdout, 'terraform show -json');
  }

  /**
   * Applies exactly the saved plan; terraform refuses it if the state moved (stale). With -json,
   * the apply ends with the stack's outputs: returned (sensitive values withheld) so nobody needs
   * a `terraform output` after it. Undefined when it printed none (a stand-in without -json).
   */
  async apply(
    dir: string,
    planFile: string,
    opts: { onStart?: RunTerraformOptions['onStart'] } = {},
  ): Promise<{ outputs?: Record<string, unknown> }> {
    const { ui } = await this.run(dir, ['apply', '-json', '-input=false', '-no-color', this.lockTimeout(), planFile], {
      jsonUi: true,
      ...(opts.onStart ? { onStart: opts.onStart } : {}),
    });
    return ui?.outputs ? { outputs: withheld(ui.outputs) } : {};
  }

  /** How long one command may run before its process group is killed. */
  get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Output values by name; sensitive values are withheld. */
  async outputs(dir: string): Promise<Record<string, unknown>> {
    const { stdout } = await this.run(dir, ['output', '-json', '-no-color'], { captureStdout: true });
    const raw = parseJson(stdout, 'terraform output -json');
    if (typeof raw !== 'object' || raw === null) return {};
    return withheld(raw as Record<string, { value?: unknown; sensitive?: boolean }>);
  }

  private lockTimeout(): string {
    return `-lock-timeout=${Math.round(this.options.lockTimeoutSec ?? DEFAULT_LOCK_TIMEOUT_SEC)}s`;
  }

  private run(
    dir: string,
    args: string[],
    extra: Pick<RunTerraformOptions, 'okExitCodes' | 'captureStdout' | 'jsonUi' | 'onStart'> = {},
  ): Promise<RunTerraformResult> {
    const o = this.options;
    const started = o.onStarted;
    const ended = o.onProcessEnded;
    const onStart = extra.onStart;
    return runTerraformProcess({
      bin: o.bin ?? 'terraform',
      args,
      cwd: dir,
      env: buildTerraformEnv(o.env ?? {}, o.inheritEnv),
      timeoutMs: this.timeoutMs,
      killGraceMs: o.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      signal: o.signal,
      onLog: o.onLog,
      ...(ended ? { onExited: (seconds: number) => ended(args[0] ?? '', seconds) } : {}),
      ...extra,
      ...(started || onStart
        ? {
            onStart: async (child) => {
              // A hint only: whatever it throws must not keep the command's own hook (apply's record) from running.
              try {
                started?.(args[0] ?? '');
              } catch {
                // ignored
              }
              await onStart?.(child);
            },
          }
        : {}),
    });
  }
}

/** Output values by name, as `terraform output -json` and apply's `outputs` message give them; sensitive ones withheld. */
function withheld(raw: Record<string, { value?: unknown; sensitive?: boolean }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(raw)) out[name] = entry?.sensitive ? '[sensitive]' : entry?.value;
  return out;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CrewError('CREW_ERR_PLAN_JSON', `${what} did not print JSON`, { cause: err });
  }
}
