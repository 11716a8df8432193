import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { readTerraformSettings } from '../../../../src/config/read-terraform-settings.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { createTestDatabase } from '../../../support/postgres-database.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// A sandbox stack installs nothing at `terraform init` (no provider, module or remote backend),
// so init leaves no `.terraform`: the workspace still counts as initialised once init ran there,
// and apply and output do not run it again. A workspace that never saw init (a plan made by
// another worker) is initialised before its apply, as before. A later plan of the stack runs
// without init; when its config needs init again (here a state backend added), Terraform refuses
// the plan, and Forge runs init and plans again.

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
function runner(commands: string[], env: Record<string, string> = {}): TerraformChangeRunner {
  const rc = join(root, '.terraformrc');
  const tf = new TerraformRunner({ inheritEnv: process.env, env: { TF_CLI_CONFIG_FILE: rc }, timeoutMs: 60_000 });
  return new TerraformChangeRunner(tf, (command) => commands.push(command), {
    settings: readTerraformSettings(env, 'eu-west-1'),
  });
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

  it('plans an applied stack again without init: the update plans and applies', async () => {
    const dataDir = join(root, 'again');
    const commands: string[] = [];
    const forge = runner(commands);
    const spec = { ...awsSpec(), stack: 'init-again' };
    const ws = new StackWorkspace(dataDir, spec.stack);
    const first = await forge.plan(spec, ws, { name: 'p1' });
    await forge.apply(spec, ws, first.planFile.path, { rootConfig: first.rootConfig! });
    commands.length = 0;
    // An update of the applied stack: one more instance.
    const grown = { ...spec, params: { ...spec.params, desiredCapacity: spec.params.desiredCapacity + 1 } };
    const second = await forge.plan(grown, ws, { name: 'p2' });
    expect(commands).toEqual(['plan', 'show']);
    expect(second.summary.update).toBeGreaterThan(0);
    await forge.apply(grown, ws, second.planFile.path, { rootConfig: second.rootConfig! });
    expect(commands).toEqual(['plan', 'show', 'apply']);
  });

  it('runs init and plans again when Terraform says the config needs it (a state backend added)', async () => {
    const db = await createTestDatabase();
    try {
      const dataDir = join(root, 'backend');
      const spec = { ...awsSpec(), stack: 'init-backend' };
      const ws = new StackWorkspace(dataDir, spec.stack);
      await runner([]).plan(spec, ws, { name: 'p1' });
      expect(ws.isInitialised()).toBe(true);
      // The same workspace, now with its state in PostgreSQL: a backend Terraform has not set up.
      const commands: string[] = [];
      const conn = `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`;
      const pg = runner(commands, { CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: conn });
      const built = await pg.plan(spec, ws, { name: 'p2' });
      expect(commands).toEqual(['plan', 'init', 'plan', 'show']);
      await pg.apply(spec, ws, built.planFile.path, { rootConfig: built.rootConfig! });
      // The state went where the new backend keeps it.
      expect(await db.query(`select count(*) from infracrew_init_backend.states`)).toBe('1');
    } finally {
      await db.drop();
    }
  });
});
