import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { PlanSpec } from '../../../contracts/index.js';
import { sha256Hex } from '../../util/new-id.js';
import {
  ApplyInDoubtError,
  StalePlanError,
  type BuiltPlan,
  type ChangeRunner,
  type PlanRequest,
} from './change-runner.js';
import { mapSandboxPlan } from './map-sandbox-plan.js';
import { isScheduledOff } from './is-scheduled-off.js';
import { renderSandbox } from './render-sandbox.js';
import { clearRunningApply, readBootId, recordRunningApply } from './running-apply.js';
import type { StackWorkspace } from './stack-workspace.js';
import { summarizeChanges } from './summarize-changes.js';
import { SubprocessError } from './subprocess-error.js';
import type { TerraformRunner } from './terraform-runner.js';
import { waitForRunningApply } from './wait-for-running-apply.js';

function optionalBootId(): { bootId?: string } {
  const bootId = readBootId();
  return bootId ? { bootId } : {};
}

const LOCK_RETRY_PAUSE_MS = 2_000;

export interface TerraformChangeRunnerOptions {
  /** How long an apply waits for an earlier one that still runs; default: the Terraform command timeout. */
  applyWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The wall clock a plan is judged by (is the weekend schedule holding the group stopped?). */
  clock?: () => Date;
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

/** Terraform blueprints (aws-spot-ollama, proxmox-k3s) on the sandbox target. */
export class TerraformChangeRunner implements ChangeRunner {
  private readonly applyWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => Date;

  constructor(
    private readonly tf: TerraformRunner,
    private readonly observe?: (command: string, seconds: number) => void,
    options: TerraformChangeRunnerOptions = {},
  ) {
    this.applyWaitMs = options.applyWaitMs ?? tf.timeoutMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.clock = options.clock ?? (() => new Date());
  }

  private async timed<T>(command: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.observe?.(command, (performance.now() - started) / 1000);
    }
  }

  async plan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan> {
    if (spec.target !== 'sandbox') {
      throw new Error(
        `target ${spec.target} needs provider access this machine does not have; use the sandbox target (CREW_TARGET=sandbox) or a provider mirror (terraform/README.md)`,
      );
    }
    const tf = this.tf.withSignal(request.signal);
    await ws.writeConfig(renderSandbox(spec, { holdDesiredCapacity: holdsDesiredCapacity(spec, this.clock()) }).files);
    await this.timed('init', () => tf.init(ws.dir));
    const planPath = ws.planFile(request.name);
    const { changes } = await this.timed('plan', () =>
      tf.plan(ws.dir, { out: planPath, ...(request.destroy ? { destroy: true } : {}) }),
    );
    const mapped = mapSandboxPlan(await this.timed('show', () => tf.showJson(ws.dir, planPath)));
    const jsonText = JSON.stringify(mapped);
    const jsonPath = ws.planJsonFile(request.name);
    await writeFile(jsonPath, jsonText);
    return {
      changes,
      planFile: { path: planPath, sha256: sha256Hex(await readFile(planPath)) },
      planJson: { path: jsonPath, sha256: sha256Hex(jsonText) },
      summary: summarizeChanges(mapped),
    };
  }

  /**
   * Applies the saved plan. An apply that is still running here (a killed Forge's Terraform
   * lives on) or that holds the state lock is waited for, never treated as a failure: the
   * saved plan is then found stale, and the caller re-checks. If it outlasts the wait, the
   * outcome is in doubt (ApplyInDoubtError) and nothing may be rolled back.
   */
  async apply(_spec: PlanSpec, ws: StackWorkspace, planFile: string): Promise<void> {
    const wait = { until: this.now() + this.applyWaitMs, now: this.now, sleep: this.sleep };
    const waitedSec = () => Math.round(this.applyWaitMs / 1000);
    await waitForRunningApply(ws.runningApplyFile, wait);
    for (;;) {
      let pid: number | undefined;
      try {
        await this.timed('apply', () =>
          this.tf.apply(ws.dir, planFile, {
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
        return;
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

  outputs(_spec: PlanSpec, ws: StackWorkspace): Promise<Record<string, unknown>> {
    return this.tf.outputs(ws.dir);
  }
}
