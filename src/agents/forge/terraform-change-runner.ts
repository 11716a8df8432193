import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanSpec } from '../../../contracts/index.js';
import { sha256Hex } from '../../util/new-id.js';
import { StalePlanError, type BuiltPlan, type ChangeRunner, type PlanRequest } from './change-runner.js';
import { mapSandboxPlan } from './map-sandbox-plan.js';
import { isScheduledOff } from './is-scheduled-off.js';
import { renderSandbox } from './render-sandbox.js';
import type { StackWorkspace } from './stack-workspace.js';
import { summarizeChanges } from './summarize-changes.js';
import { TerraformError, type TerraformRunner } from './terraform-runner.js';

const LOCK_WAIT_MS = 120_000;

async function waitForStateUnlock(dir: string): Promise<void> {
  const lockInfo = join(dir, '.terraform.tfstate.lock.info');
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (Date.now() < deadline && (await stat(lockInfo).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 200));
}

/**
 * A plan sets the group's desired capacity, so what the review says ("scale to 3") is what
 * runs after apply, and the plan JSON Sentinel prices carries it. The one exception is a plan
 * made while the weekend schedule has the group stopped: it leaves the live size alone (the
 * schedule owns capacity off-hours) and the start action, which carries the new size, brings
 * the group there at the next start.
 */
export function holdsDesiredCapacity(spec: PlanSpec, now: Date): boolean {
  return spec.blueprint === 'aws-spot-ollama' && spec.params.schedule !== undefined && isScheduledOff(spec.params.schedule, now);
}

/** Terraform blueprints (aws-spot-ollama, proxmox-k3s) on the sandbox target. */
export class TerraformChangeRunner implements ChangeRunner {
  constructor(
    private readonly tf: TerraformRunner,
    private readonly observe?: (command: string, seconds: number) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

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
      throw new Error(`target ${spec.target} needs provider access this machine does not have; use the sandbox target (CREW_TARGET=sandbox) or a provider mirror (terraform/README.md)`);
    }
    const tf = this.tf.withSignal(request.signal);
    await ws.writeConfig(renderSandbox(spec, { holdDesiredCapacity: holdsDesiredCapacity(spec, this.now()) }).files);
    await this.timed('init', () => tf.init(ws.dir));
    const planPath = ws.planFile(request.name);
    const { changes } = await this.timed('plan', () => tf.plan(ws.dir, { out: planPath, ...(request.destroy ? { destroy: true } : {}) }));
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

  async apply(_spec: PlanSpec, ws: StackWorkspace, planFile: string): Promise<void> {
    try {
      await this.timed('apply', () => this.tf.apply(ws.dir, planFile));
    } catch (err) {
      if (err instanceof TerraformError && err.stale) {
        // A Terraform left running by a killed process may still be finishing this very plan:
        // let it release the state before anyone re-checks.
        await waitForStateUnlock(ws.dir);
        throw new StalePlanError('the Terraform state changed since this plan was saved', { cause: err });
      }
      throw err;
    }
  }

  outputs(_spec: PlanSpec, ws: StackWorkspace): Promise<Record<string, unknown>> {
    return this.tf.outputs(ws.dir);
  }
}
