import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// A sandbox stack installs nothing at `terraform init` (no provider, module or remote backend),
// so init leaves no `.terraform`: the workspace still counts as initialised once init ran there,
// and apply and output do not run it again. A workspace that never saw init (a plan made by
// another worker) is initialised before its apply, as before.

let root: string;
beforeAll(() => {
  requireTerraform();
  root = mkdtempSync(join(tmpdir(), 'crew-init-once-'));
  writeFileSync(join(root, '.terraformrc'), '');
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Forge's runner, telling `commands` each Terraform command it runs. */
function runner(commands: string[]): TerraformChangeRunner {
  const rc = join(root, '.terraformrc');
  const tf = new TerraformRunner({ inheritEnv: process.env, env: { TF_CLI_CONFIG_FILE: rc }, timeoutMs: 60_000 });
  return new TerraformChangeRunner(tf, (command) => commands.push(command));
}

describe('terraform init on the sandbox target', () => {
  it('runs once per workspace: plan inits, apply and output on the same host do not', async () => {
    const dataDir = join(root, 'one');
    const commands: string[] = [];
    const forge = runner(commands);
    const spec = { ...awsSpec(), stack: 'init-once' };
    const ws = new StackWorkspace(dataDir, spec.stack);
    const built = await forge.plan(spec, ws, { name: 'p1' });
    await forge.apply(spec, ws, built.planFile.path, { rootConfig: built.rootConfig! });
    await forge.outputs(spec, ws);
    expect(commands).toEqual(['init', 'plan', 'show', 'apply', 'output']);
  });

  it('initialises a workspace that never saw init before applying there', async () => {
    const planned = join(root, 'planned');
    const spec = { ...awsSpec(), stack: 'init-elsewhere' };
    const built = await runner([]).plan(spec, new StackWorkspace(planned, spec.stack), { name: 'p1' });
    // Another worker's data dir: only the plan file travels (the state is the shared one).
    const other = join(root, 'other');
    const ws = new StackWorkspace(other, spec.stack);
    const planFile = join(other, 'p1.tfplan');
    cpSync(built.planFile.path, planFile);
    const commands: string[] = [];
    const forge = runner(commands);
    await forge.apply(spec, ws, planFile, { rootConfig: built.rootConfig! });
    await forge.outputs(spec, ws);
    expect(commands).toEqual(['init', 'apply', 'output']);
  });
});
