import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApplyInDoubtError, StalePlanError } from '../../../../src/agents/forge/change-runner.js';
import { signalGroup } from '../../../../src/agents/forge/process-group.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { requireTerraform } from '../../../support/terraform-harness.js';
import { waitFor } from '../../../support/wait-for.js';

// Another Terraform applies the same saved plan and holds the state lock (as one left running
// by a killed Forge would, with no record of it: it died before writing one, or it runs on
// another host). Forge's apply must wait for it rather than call a lock timeout a failure.

const CONFIG = `
resource "terraform_data" "first" { input = "a" }
resource "terraform_data" "second" {
  input = "b"
  provisioner "local-exec" {
    command = "echo started >> marker; sleep $SLOW_SEC; echo finished >> marker"
  }
}
`;

let dataDir: string;
let holder: ResultPromise | undefined;
beforeAll(() => {
  requireTerraform();
});
afterEach(async () => {
  if (holder?.pid) signalGroup(holder.pid, 'SIGKILL');
  await holder;
  holder = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** A workspace with a saved plan, and a real `terraform apply` of it that holds the lock for `seconds`. */
async function lockedBySlowApply(seconds: number) {
  dataDir = mkdtempSync(join(tmpdir(), 'crew-lock-wait-'));
  const ws = new StackWorkspace(dataDir, 'lock-wait');
  mkdirSync(ws.plansDir, { recursive: true });
  writeFileSync(join(ws.dir, 'main.tf'), CONFIG);
  const rc = join(dataDir, '.terraformrc');
  writeFileSync(rc, '');
  const env = { TF_CLI_CONFIG_FILE: rc };
  const tf = new TerraformRunner({ inheritEnv: process.env, env, timeoutMs: 60_000, lockTimeoutSec: 1 });
  await tf.init(ws.dir);
  const planFile = ws.planFile('p');
  await tf.plan(ws.dir, { out: planFile });
  holder = execa('terraform', ['apply', '-input=false', '-no-color', planFile], {
    cwd: ws.dir,
    env: { ...env, SLOW_SEC: String(seconds) },
    detached: true,
    reject: false,
    stdin: 'ignore',
  });
  const marker = () => readFileSync(join(ws.dir, 'marker'), 'utf8').split('\n').filter(Boolean);
  expect(
    await waitFor(() => {
      try {
        return marker().includes('started');
      } catch {
        return false;
      }
    }, 30_000),
  ).toBe(true);
  return { ws, tf, planFile, marker };
}

describe('an apply that finds the state locked by another Terraform', () => {
  it('waits for it past its own lock timeout, then reports the saved plan stale (already applied)', async () => {
    const { ws, tf, planFile, marker } = await lockedBySlowApply(4);
    const runner = new TerraformChangeRunner(tf, undefined, { applyWaitMs: 60_000 });
    await expect(runner.apply(awsSpec(), ws, planFile)).rejects.toBeInstanceOf(StalePlanError);
    expect(marker()).toEqual(['started', 'finished']); // applied once, by the other Terraform
  });

  it('reports the apply in doubt, not failed, when the lock is still held at the end of the wait', async () => {
    const { ws, tf, planFile, marker } = await lockedBySlowApply(60);
    const runner = new TerraformChangeRunner(tf, undefined, { applyWaitMs: 2_000 });
    const err = await runner.apply(awsSpec(), ws, planFile).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyInDoubtError);
    expect((err as Error).message).toMatch(/still locked by another Terraform .* an apply may still be running/);
    expect(marker()).toEqual(['started']);
  });
});
