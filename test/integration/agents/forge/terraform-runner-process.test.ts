import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SubprocessError } from '../../../../src/agents/forge/subprocess-error.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { registerSecret } from '../../../../src/log/redact-text.js';
import { FIXTURE_BIN, createTempStack, isRunning, requireTerraform } from '../../../support/terraform-harness.js';
import { waitFor } from '../../../support/wait-for.js';

const HANG = join(FIXTURE_BIN, 'terraform-hang');
const stacks: { cleanup(): void }[] = [];
const tempStack = () => {
  const s = createTempStack('forge-proc-');
  stacks.push(s);
  return s;
};

beforeAll(() => {
  requireTerraform();
});

afterEach(() => {
  for (const s of stacks.splice(0)) s.cleanup();
});

/** Pids the hanging fixture announces: the shell (group leader) and its child. */
function announcedPids(lines: string[]): number[] {
  return lines.flatMap((l) => /^(?:child|group) (\d+)$/.exec(l)?.slice(1).map(Number) ?? []);
}

describe('TerraformRunner process handling', () => {
  it('kills the whole process group on timeout, escalating past an ignored SIGTERM', async () => {
    const lines: string[] = [];
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      bin: HANG,
      timeoutMs: 400,
      killGraceMs: 300,
      onLog: (l) => lines.push(l),
    });
    const started = Date.now();
    const err = await tf.init(tempStack().dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubprocessError);
    expect(err).toMatchObject({ timedOut: true, cancelled: false, code: 'CREW_ERR_TIMEOUT', signal: 'SIGKILL' });
    expect((err as Error).message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(5000);
    const pids = announcedPids(lines);
    expect(pids).toHaveLength(2);
    expect(await waitFor(() => pids.every((pid) => !isRunning(pid)))).toBe(true);
  });

  it('tells onStarted the command while its process still runs (work can overlap it)', async () => {
    const told: Array<{ command: string; running: boolean }> = [];
    let settled = false;
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      bin: HANG,
      timeoutMs: 600,
      killGraceMs: 200,
      onStarted: (command) => told.push({ command, running: !settled }),
    });
    await tf
      .init(tempStack().dir)
      .catch(() => undefined)
      .finally(() => (settled = true));
    expect(told).toEqual([{ command: 'init', running: true }]);
  });

  it("tells onProcessEnded how long each command's process ran, within the runner's call; nothing when it never started", async () => {
    const told: Array<{ command: string; seconds: number }> = [];
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      onProcessEnded: (command, seconds) => told.push({ command, seconds }),
    });
    const dir = tempStack().dir;
    const started = performance.now();
    await tf.init(dir);
    const callSeconds = (performance.now() - started) / 1000;
    expect(told.map((t) => t.command)).toEqual(['init']);
    expect(told[0]!.seconds).toBeGreaterThan(0);
    // The process's life, not the call's: the call also made the output files and read them.
    expect(told[0]!.seconds).toBeLessThan(callSeconds);
    const missing = new TerraformRunner({
      inheritEnv: process.env,
      bin: join(dir, 'no-such-terraform'),
      onProcessEnded: (command, seconds) => told.push({ command, seconds }),
    });
    await expect(missing.init(dir)).rejects.toThrow(/terraform binary not found/);
    expect(told).toHaveLength(1);
  });

  it('kills the process group when the AbortSignal fires', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      bin: HANG,
      signal: controller.signal,
      killGraceMs: 200,
      onLog: (l) => lines.push(l),
    });
    setTimeout(() => controller.abort(), 300);
    const err = await tf.plan(tempStack().dir, { out: 'x.tfplan' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ cancelled: true, timedOut: false, code: 'CREW_ERR_TERRAFORM' });
    expect((err as Error).message).toMatch(/cancelled/);
    const pids = announcedPids(lines);
    expect(pids).toHaveLength(2);
    expect(await waitFor(() => pids.every((pid) => !isRunning(pid)))).toBe(true);
    await expect(tf.init(tempStack().dir)).rejects.toMatchObject({ cancelled: true });
  });

  it('gives terraform a minimal environment, never the whole process env', async () => {
    process.env.CREW_TEST_SLACK_TOKEN = 'xoxb-not-for-terraform';
    try {
      const lines: string[] = [];
      const tf = new TerraformRunner({
        inheritEnv: process.env,
        bin: join(FIXTURE_BIN, 'terraform-env'),
        env: { AWS_REGION: 'eu-west-1' },
        onLog: (l) => lines.push(l),
      });
      await tf.init(tempStack().dir);
      expect(lines).toEqual(
        expect.arrayContaining(['TF_IN_AUTOMATION=1', 'CHECKPOINT_DISABLE=1', 'AWS_REGION=eu-west-1']),
      );
      expect(lines.join('\n')).not.toMatch(/CREW_TEST_SLACK_TOKEN|xoxb/);
    } finally {
      delete process.env.CREW_TEST_SLACK_TOKEN;
    }
  });

  it('reports a missing binary clearly', async () => {
    await expect(
      new TerraformRunner({ inheritEnv: process.env, bin: '/nonexistent/terraform' }).init(tempStack().dir),
    ).rejects.toThrow(/not found/);
  });

  it('redacts secrets in streamed logs and in stored stderr', async () => {
    registerSecret('vault-literal-s3cr3t');
    const stack = tempStack();
    const lines: string[] = [];
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      env: stack.env,
      onLog: (l) => lines.push(l),
      timeoutMs: 60_000,
    });
    stack.write({
      'main.tf': ['output "leak" {', '  value = "AKIAABCDEFGHIJKLMNOP vault-literal-s3cr3t"', '}', ''].join('\n'),
    });
    await tf.init(stack.dir);
    await tf.plan(stack.dir, { out: 'p.tfplan' });
    const logged = lines.join('\n');
    expect(logged).toContain('leak');
    expect(logged).not.toMatch(/AKIAABCDEFGHIJKLMNOP|vault-literal-s3cr3t/);
    expect(logged).toContain('[redacted]');

    // Terraform quotes the offending source line in errors: the secret must not survive.
    stack.write({ 'main.tf': 'resource "terraform_data" "x" {\n  input = "token = hunter2-is-secret" + 1\n}\n' });
    const err = await tf.plan(stack.dir, { out: 'p.tfplan' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubprocessError);
    const e = err as SubprocessError;
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toContain('Invalid operand');
    expect(e.stderr).toContain('token = [redacted]');
    expect(`${e.stderr}\n${e.message}\n${lines.join('\n')}`).not.toContain('hunter2-is-secret');
  });
});
