import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { PlanSpec } from '../../../contracts/index.js';
import { CrewError } from '../../errors.js';
import { sha256Hex } from '../../util/new-id.js';
import {
  ApplyInDoubtError,
  StalePlanError,
  type Applied,
  type ApplyOptions,
  type BuiltPlan,
  type ChangeRunner,
  type PlanRequest,
} from './change-runner.js';
import { mapSandboxPlan } from './map-sandbox-plan.js';
import { isScheduledOff } from './is-scheduled-off.js';
import { finishK3sApply, reviewK3sCheck, type K3sRunOptions } from './k3s-after-apply.js';
import {
  installRootConfig,
  prepareTerraformEnv,
  writeTargetConfig,
  type TerraformTargetOptions,
} from './prepare-terraform-target.js';
import type { RootConfig } from './root-config-artifact.js';
import { clearRunningApply, readBootId, recordRunningApply } from './running-apply.js';
import type { StackWorkspace } from './stack-workspace.js';
import { summarizeChanges } from './summarize-changes.js';
import { retryStateBackend } from './retry-state-backend.js';
import { SubprocessError } from './subprocess-error.js';
import type { TerraformRunner } from './terraform-runner.js';
import { waitForRunningApply } from './wait-for-running-apply.js';

function optionalBootId(): { bootId?: string } {
  const bootId = readBootId();
  return bootId ? { bootId } : {};
}

const LOCK_RETRY_PAUSE_MS = 2_000;

/** What a refresh-only plan found: `changes` is terraform's exit code 2, `json` its (cloud-shaped) plan JSON. */
export interface RefreshPlan {
  changes: boolean;
  json: unknown;
}

export interface TerraformChangeRunnerOptions extends TerraformTargetOptions {
  /** How long an apply waits for an earlier one that still runs; default: the Terraform command timeout. */
  applyWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The wall clock a plan is judged by (is the weekend schedule holding the group stopped?). */
  clock?: () => Date;
  /** playbooks/k3s after a proxmox apply (and its --check for the review of an existing stack). */
  k3s?: K3sRunOptions;
  /** Told when init or plan is run again because the state backend dropped its connection. */
  onStateBackendRetry?: (command: string, attempt: number, err: unknown) => void;
}

/**
 * A plan sets the group's desired capacity, so what the review says ("scale to 3") is what
 * runs after apply, and the plan JSON Sentinel prices carries it. The one exception is a plan
 * made while the weekend schedule has the group stopped: it leaves the live size alone (the
 * schedule owns capacity off-hours) and the start action, which carries the new size, brings
 * the group there at the next start.
 */
export function holdsDesiredCapacity(spec: PlanSpec, now: Date): boolean {
  return (
    spec.blueprint === 'aws-spot-ollama' &&
    spec.params.schedule !== undefined &&
    isScheduledOff(spec.params.schedule, now)
  );
}

/**
 * Terraform blueprints (aws-spot-ollama, proxmox-k3s) on the sandbox target, aws-spot-ollama on
 * aws, and proxmox-k3s on proxmox (terraform, then playbooks/k3s on the VMs it made).
 */
export class TerraformChangeRunner implements ChangeRunner {
  private readonly target: TerraformTargetOptions;
  private readonly applyWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => Date;
  private readonly k3s: K3sRunOptions | undefined;
  private readonly onStateBackendRetry: TerraformChangeRunnerOptions['onStateBackendRetry'];

  constructor(
    private readonly tf: TerraformRunner,
    private readonly observe?: (command: string, seconds: number) => void,
    options: TerraformChangeRunnerOptions = {},
  ) {
    this.applyWaitMs = options.applyWaitMs ?? tf.timeoutMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.clock = options.clock ?? (() => new Date());
    this.k3s = options.k3s;
    this.onStateBackendRetry = options.onStateBackendRetry;
    this.target = {
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.awsCredentials ? { awsCredentials: options.awsCredentials } : {}),
      ...(options.proxmox ? { proxmox: options.proxmox } : {}),
    };
  }

  /**
   * The runner for one stack's commands, with its target's environment. A workspace that was
   * never initialised here (a plan made by another worker, sharing state through the backend)
   * gets its config rendered and `terraform init` first.
   */
  private async runnerFor(spec: PlanSpec, ws: StackWorkspace): Promise<TerraformRunner> {
    const tf = this.tf.withEnv(await prepareTerraformEnv(spec, ws, this.target));
    if (!ws.isInitialised()) {
      await writeTargetConfig(spec, ws, this.target.settings, this.renderOptions());
      await this.reading('init', () => this.init(tf, ws));
    }
    return tf;
  }

  /**
   * The runner for applying a plan file made from `rootConfig` (stored at plan time): that
   * config is written into the workspace as it is, and `terraform init` runs when the workspace
   * held another one or was never initialised (a plan made on another host).
   */
  private async runnerWithConfig(spec: PlanSpec, ws: StackWorkspace, rootConfig: RootConfig): Promise<TerraformRunner> {
    const tf = this.tf.withEnv(await prepareTerraformEnv(spec, ws, this.target));
    const changed = await installRootConfig(spec, ws, rootConfig);
    if (changed || !ws.isInitialised()) await this.reading('init', () => this.init(tf, ws));
    return tf;
  }

  /** `terraform init`, recorded in the workspace (so apply and output need not run it again). */
  private async init(tf: TerraformRunner, ws: StackWorkspace): Promise<void> {
    // An init that fails leaves the workspace counted as not initialised, as before it ran.
    await ws.forgetInit();
    await tf.init(ws.dir);
    await ws.recordInit();
  }

  /**
   * `run` (a plan) in an initialised workspace. Where `terraform init` already ran, the plan runs
   * without it: Terraform refuses a config that needs init again (a provider, module or backend
   * it has not installed). Any failed plan there, unless it was cancelled, timed out, waited on
   * the state lock or found no binary (`mayNeedInit`), gets init and the plan once more, so it
   * ends as it would have with init first.
   * A plan of an existing stack (an update, a rollback, a drift check) so spares a Terraform
   * process: on AWS, a second or more of loading the provider's mirror and lock file.
   */
  private async afterInit<T>(
    tf: TerraformRunner,
    ws: StackWorkspace,
    signal: AbortSignal | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    if (ws.isInitialised()) {
      try {
        return await run();
      } catch (err) {
        if (!mayNeedInit(err) || signal?.aborted) throw err;
      }
    }
    await this.reading('init', () => this.init(tf, ws));
    return run();
  }

  private renderOptions(): { proxmox?: NonNullable<TerraformTargetOptions['proxmox']> } {
    return this.target.proxmox ? { proxmox: this.target.proxmox } : {};
  }

  private async timed<T>(command: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.observe?.(command, (performance.now() - started) / 1000);
    }
  }

  /** A command that only reads (init, plan): run again when the state backend dropped its connection. */
  private reading<T>(command: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.timed(command, () =>
      retryStateBackend(run, {
        sleep: this.sleep,
        ...(signal ? { signal } : {}),
        onRetry: (attempt, err) => this.onStateBackendRetry?.(command, attempt, err),
      }),
    );
  }

  async plan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan> {
    const tf = this.tf.withSignal(request.signal).withEnv(await prepareTerraformEnv(spec, ws, this.target));
    const rootConfig = await writeTargetConfig(spec, ws, this.target.settings, {
      ...this.renderOptions(),
      holdDesiredCapacity: holdsDesiredCapacity(spec, this.clock()),
      ...(request.planId ? { planId: request.planId } : {}),
    });
    const planPath = ws.planFile(request.name);
    const { changes } = await this.afterInit(tf, ws, request.signal, () =>
      this.reading(
        'plan',
        () => tf.plan(ws.dir, { out: planPath, ...(request.destroy ? { destroy: true } : {}) }),
        request.signal,
      ),
    );
    const shown = await this.timed('show', () => tf.showJson(ws.dir, planPath));
    // The sandbox's terraform_data stands for cloud resources; a real provider's plan is Sentinel's as it is.
    const mapped = spec.target === 'sandbox' ? mapSandboxPlan(shown) : shown;
    const jsonBytes = Buffer.from(JSON.stringify(mapped));
    const jsonPath = ws.planJsonFile(request.name);
    // Independent: written and read side by side.
    const [planBytes] = await Promise.all([readFile(planPath), writeFile(jsonPath, jsonBytes)]);
    const review = await this.reviewPlaybooks(spec, ws, tf, request);
    return {
      changes,
      planFile: { path: planPath, sha256: sha256Hex(planBytes) },
      planJson: { path: jsonPath, sha256: sha256Hex(jsonBytes) },
      summary: summarizeChanges(mapped),
      ...(review ? { review } : {}),
      rootConfig,
      bytes: { planFile: planBytes, planJson: jsonBytes },
    };
  }

  /**
   * A refresh-only plan of the applied stack (`-refresh-only -detailed-exitcode`): the real
   * resources read back against the state, cloud-shaped like any plan JSON. Nothing is saved
   * for apply; the plan file is removed.
   */
  async refreshPlan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<RefreshPlan> {
    const tf = this.tf.withSignal(request.signal).withEnv(await prepareTerraformEnv(spec, ws, this.target));
    await writeTargetConfig(spec, ws, this.target.settings, {
      ...this.renderOptions(),
      holdDesiredCapacity: holdsDesiredCapacity(spec, this.clock()),
      ...(request.planId ? { planId: request.planId } : {}),
    });
    const planPath = ws.planFile(request.name);
    try {
      const { changes } = await this.afterInit(tf, ws, request.signal, () =>
        this.reading('plan', () => tf.plan(ws.dir, { out: planPath, refreshOnly: true }), request.signal),
      );
      const shown = await this.timed('show', () => tf.showJson(ws.dir, planPath));
      return { changes, json: spec.target === 'sandbox' ? mapSandboxPlan(shown) : shown };
    } finally {
      await rm(planPath, { force: true });
    }
  }

  /** An existing proxmox stack: what playbooks/k3s --check would change on its VMs. */
  private async reviewPlaybooks(
    spec: PlanSpec,
    ws: StackWorkspace,
    tf: TerraformRunner,
    request: PlanRequest,
  ): Promise<string | undefined> {
    const k3s = this.k3s;
    if (spec.target !== 'proxmox' || !k3s || request.destroy) return undefined;
    return reviewK3sCheck(k3s, ws, await tf.outputs(ws.dir).catch(() => ({})));
  }

  /** proxmox: playbooks/k3s on the VMs the apply made or changed. */
  async afterApply(spec: PlanSpec, ws: StackWorkspace, outputs: Record<string, unknown>): Promise<void> {
    if (spec.target !== 'proxmox') return;
    if (!this.k3s) throw new CrewError('CREW_ERR_CONFIG', 'the proxmox target needs playbooks/k3s settings');
    await finishK3sApply(this.k3s, ws, outputs);
  }

  /**
   * Applies the saved plan, in a workspace holding the root config it was made with when Forge
   * has it (stored at plan time; without it, one rendered here if the workspace was never set
   * up). An apply that is still running here (a killed Forge's Terraform lives on) or that holds
   * the state lock is waited for, never treated as a failure: the saved plan is then found
   * stale, and the caller re-checks. If it outlasts the wait, the outcome is in doubt
   * (ApplyInDoubtError) and nothing may be rolled back.
   */
  async apply(spec: PlanSpec, ws: StackWorkspace, planFile: string, options: ApplyOptions = {}): Promise<Applied> {
    const wait = { until: this.now() + this.applyWaitMs, now: this.now, sleep: this.sleep };
    const waitedSec = () => Math.round(this.applyWaitMs / 1000);
    // A stored config replaces the workspace's (and may re-init it): only once no apply runs here.
    if (options.rootConfig) await waitForRunningApply(ws.runningApplyFile, wait);
    const tf = options.rootConfig
      ? await this.runnerWithConfig(spec, ws, options.rootConfig)
      : await this.runnerFor(spec, ws);
    await waitForRunningApply(ws.runningApplyFile, wait);
    for (;;) {
      let pid: number | undefined;
      try {
        return await this.timed('apply', () =>
          tf.apply(ws.dir, planFile, {
            onStart: async (child) => {
              pid = child.pid;
              const startedAt = new Date(this.now()).toISOString();
              await recordRunningApply(ws.runningApplyFile, {
                ...child,
                host: hostname(),
                ...optionalBootId(),
                planFile,
                startedAt,
              });
            },
          }),
        );
      } catch (err) {
        if (!(err instanceof SubprocessError) || !(err.stale || err.locked)) throw err;
        if (err.stale)
          throw new StalePlanError('the Terraform state changed since this plan was saved', { cause: err });
        // Another Terraform holds the state: most likely the apply of a Forge that was killed.
        if (this.now() >= wait.until) {
          throw new ApplyInDoubtError(
            `the Terraform state of this stack is still locked by another Terraform after a wait of ${waitedSec()} s: an apply may still be running`,
            { cause: err },
          );
        }
        await waitForRunningApply(ws.runningApplyFile, wait);
        // Terraform's own -lock-timeout paces the retries; this keeps a zero timeout from spinning.
        await this.sleep(Math.max(0, Math.min(LOCK_RETRY_PAUSE_MS, wait.until - this.now())));
      } finally {
        if (pid !== undefined) await clearRunningApply(ws.runningApplyFile, pid);
      }
    }
  }

  async outputs(spec: PlanSpec, ws: StackWorkspace): Promise<Record<string, unknown>> {
    const tf = await this.runnerFor(spec, ws);
    return this.timed('output', () => tf.outputs(ws.dir));
  }
}

/**
 * Whether a plan that failed in an initialised workspace is worth `terraform init` and a second
 * try: not when it was cancelled or timed out, or when another run holds the state lock (init
 * changes none of these; the lock would only be waited for twice).
 */
function mayNeedInit(err: unknown): boolean {
  return err instanceof SubprocessError && !err.cancelled && !err.timedOut && !err.locked && !err.missing;
}
