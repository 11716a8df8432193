import { readFile, writeFile } from 'node:fs/promises';
import type { ChangeSummary, PlanSpec } from '../../../contracts/index.js';
import { sha256Hex } from '../../util/new-id.js';
import { mapSandboxPlan } from './map-sandbox-plan.js';
import { renderSandbox } from './render-sandbox.js';
import type { StackWorkspace } from './stack-workspace.js';
import { summarizeChanges } from './summarize-changes.js';
import type { TerraformRunner } from './terraform-runner.js';

export interface BuiltPlan {
  changes: boolean;
  planFile: { path: string; sha256: string };
  planJson: { path: string; sha256: string };
  summary: ChangeSummary;
}

/** Renders a spec into the stack's workspace and saves a plan and its cloud-shaped JSON. */
export async function planStack(
  runner: TerraformRunner,
  ws: StackWorkspace,
  spec: PlanSpec,
  options: { name: string; destroy?: boolean },
): Promise<BuiltPlan> {
  if (spec.target !== 'sandbox') {
    throw new Error(`target ${spec.target} is not runnable here yet: only the sandbox target renders (set CREW_TARGET=sandbox)`);
  }
  if (spec.blueprint !== 'aws-spot-ollama' && spec.blueprint !== 'proxmox-k3s') {
    throw new Error(`blueprint ${spec.blueprint} has no sandbox rendering`);
  }
  await ws.writeConfig(renderSandbox(spec).files);
  await runner.init(ws.dir);
  const planPath = ws.planFile(options.name);
  const { changes } = await runner.plan(ws.dir, { out: planPath, ...(options.destroy ? { destroy: true } : {}) });
  const mapped = mapSandboxPlan(await runner.showJson(ws.dir, planPath));
  const jsonText = JSON.stringify(mapped);
  const jsonPath = ws.planJsonFile(options.name);
  await writeFile(jsonPath, jsonText);
  return {
    changes,
    planFile: { path: planPath, sha256: sha256Hex(await readFile(planPath)) },
    planJson: { path: jsonPath, sha256: sha256Hex(jsonText) },
    summary: summarizeChanges(mapped),
  };
}
