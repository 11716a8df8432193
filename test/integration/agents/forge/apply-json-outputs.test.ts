import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SubprocessError } from '../../../../src/agents/forge/subprocess-error.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { createTempStack, requireTerraform, type TempStack } from '../../../support/terraform-harness.js';

// `terraform apply -json` ends with the stack's outputs (Terraform's machine-readable UI): Forge
// takes them from there instead of running `terraform output` after every apply. Real terraform.

const SECRET = 'planted-s3cr3t-value';
const CONFIG = `
variable "n" {
  type    = string
  default = "one"
}
resource "terraform_data" "x" {
  input = var.n
}
output "plain" {
  value = terraform_data.x.output
}
output "nested" {
  value = { count = 2, flags = [true, false] }
}
output "token" {
  value     = "${SECRET}"
  sensitive = true
}
`;

let stack: TempStack | undefined;
beforeAll(() => void requireTerraform());
afterEach(() => {
  stack?.cleanup();
  stack = undefined;
});

function runnerOf(s: TempStack, logs: string[]): TerraformRunner {
  return new TerraformRunner({ inheritEnv: process.env, env: s.env, timeoutMs: 60_000, onLog: (l) => logs.push(l) });
}

describe('terraform apply -json', () => {
  it('returns the outputs terraform output gives, sensitive ones withheld, and logs its human lines', async () => {
    stack = createTempStack('forge-apply-json-');
    stack.write({ 'main.tf': CONFIG });
    const logs: string[] = [];
    const tf = runnerOf(stack, logs);
    await tf.init(stack.dir);
    await tf.plan(stack.dir, { out: 'p1.tfplan' });
    const applied = await tf.apply(stack.dir, 'p1.tfplan');
    expect(applied.outputs).toEqual({ plain: 'one', nested: { count: 2, flags: [true, false] }, token: '[sensitive]' });
    expect(applied.outputs).toEqual(await tf.outputs(stack.dir));
    // The log reads as the plain UI would (no JSON), and no secret is in it.
    expect(logs).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect(logs.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('still tells a stale plan file from other failures (the error is a diagnostic on stdout)', async () => {
    stack = createTempStack('forge-apply-json-stale-');
    stack.write({ 'main.tf': CONFIG });
    const tf = runnerOf(stack, []);
    await tf.init(stack.dir);
    await tf.plan(stack.dir, { out: 'p1.tfplan' });
    await tf.plan(stack.dir, { out: 'p2.tfplan' });
    await tf.apply(stack.dir, 'p1.tfplan');
    const err = await tf.apply(stack.dir, 'p2.tfplan').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubprocessError);
    const e = err as SubprocessError;
    expect(e.stale).toBe(true);
    expect(e.message).toMatch(/^terraform apply failed \(exit 1\): saved plan is stale: Error: Saved plan is stale/);
    expect(e.stderr).toContain('the state was changed by another operation after the plan was created');
  });

  it('returns no outputs from a terraform that printed no outputs message: they are then read with terraform output', async () => {
    stack = createTempStack('forge-apply-json-plain-');
    stack.write({ 'main.tf': CONFIG });
    // A wrapper that keeps apply's output to itself (as one printing its own plain text would).
    const wrapper = join(stack.dir, 'terraform-quiet-apply');
    writeFileSync(
      wrapper,
      '#!/usr/bin/env bash\nif [ "$1" = apply ]; then terraform "$@" > /dev/null; exit $?; fi\nexec terraform "$@"\n',
    );
    chmodSync(wrapper, 0o755);
    const tf = new TerraformRunner({ bin: wrapper, inheritEnv: process.env, env: stack.env, timeoutMs: 60_000 });
    await tf.init(stack.dir);
    await tf.plan(stack.dir, { out: 'p1.tfplan' });
    expect(await tf.apply(stack.dir, 'p1.tfplan')).toEqual({});
    expect(await tf.outputs(stack.dir)).toMatchObject({ plain: 'one', token: '[sensitive]' });
  });
});
