import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyResult, BuildStatus, PlanSpec } from '../../../../contracts/index.js';
import { makeArtifact } from '../../../../src/bus/artifact-bus.js';
import { applyPlan } from '../../../../src/agents/forge/apply-plan.js';
import { buildPlan } from '../../../../src/agents/forge/build-plan.js';
import type { ForgeContext } from '../../../../src/agents/forge/forge-context.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { readProxmoxSettings } from '../../../../src/config/read-proxmox-settings.js';
import { sha256Hex } from '../../../../src/util/new-id.js';
import { requireDebianBinary } from '../../../support/bind-server.js';
import { proxmoxSpec } from '../../../support/forge-specs.js';
import { FIXTURE_BIN } from '../../../support/terraform-harness.js';

// Forge's proxmox change past terraform: after the apply, playbooks/k3s runs against the
// inventory rendered from the stack's outputs, as part of the same approved change; a plan of
// an existing stack carries the playbooks' --check summary. bpg/proxmox cannot run here (no
// Proxmox), so a stand-in terraform answers with the module's outputs; the playbook is a probe
// with connection local in place of playbooks/k3s, run by the real ansible-playbook.

const OUTPUTS = {
  server_ips: { sensitive: false, type: ['list', 'string'], value: ['127.0.0.1'] },
  worker_ips: { sensitive: false, type: ['list', 'string'], value: ['127.0.0.2'] },
  gpu_workers: { sensitive: false, type: 'number', value: 0 },
};

const PROBE = `- name: Probe
  hosts: k3s_cluster
  connection: local
  gather_facts: false
  tasks:
    - name: Record the host
      ansible.builtin.copy:
        dest: "{{ lookup('env', 'HOME') }}/../probe/{{ inventory_hostname }}.txt"
        content: "{{ ansible_host }}"
        mode: "0600"
`;

const FAILING = `- name: Fails
  hosts: k3s_servers
  connection: local
  gather_facts: false
  tasks:
    - name: Wait for the API server
      ansible.builtin.fail:
        msg: the K3s API server did not come up
`;

let dir: string;
let ansible: string;
beforeAll(() => {
  ansible = requireDebianBinary('ansible-playbook');
  dir = mkdtempSync(join(tmpdir(), 'crew-proxmox-post-'));
  writeFileSync(join(dir, 'outputs.json'), JSON.stringify(OUTPUTS));
  writeFileSync(join(dir, 'probe.yml'), PROBE);
  writeFileSync(join(dir, 'failing.yml'), FAILING);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Published {
  topic: string;
  payload: unknown;
}

/** Forge's context around one runner; the bus and stores are records (their Redis side is tested elsewhere). */
function forgeOf(
  name: string,
  playbook: string,
  spec: PlanSpec,
  fault?: (point: string) => void,
): { f: ForgeContext; published: Published[] } {
  const dataDir = join(dir, name);
  const home = join(dataDir, 'home');
  mkdirSync(home, { recursive: true });
  mkdirSync(join(dataDir, 'probe'), { recursive: true });
  const tf = new TerraformRunner({
    bin: join(FIXTURE_BIN, 'terraform-proxmox-stand-in'),
    inheritEnv: {
      PATH: process.env.PATH ?? '',
      TF_CREW_PROXMOX_OUTPUTS: join(dir, 'outputs.json'),
      TF_CREW_CALL_LOG: join(dataDir, 'terraform-calls.log'),
    },
    timeoutMs: 30_000,
  });
  const env = { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C.UTF-8', ANSIBLE_NOCOLOR: '1' };
  const runner = new TerraformChangeRunner(tf, undefined, {
    proxmox: readProxmoxSettings(
      { CREW_PROXMOX_ENDPOINT: 'https://pve.example.test:8006/', PROXMOX_API_TOKEN: 'crew@pve!forge=planted-0001' },
      dir,
    ),
    k3s: { bin: ansible, playbook, env, timeoutMs: 120_000 },
  });
  const published: Published[] = [];
  const applied = new Map<string, string>();
  const f = {
    options: {
      bus: {
        publish: async (topic: string, a: { payload: unknown }) => void published.push({ topic, payload: a.payload }),
      },
      // A plan that never changes: nothing to watch.
      plans: {
        get: async (id: string) => ({ id, state: 'APPLYING', spec }),
        state: async () => 'APPLYING',
        watch: async () => async () => undefined,
      },
      dataDir,
      runners: { 'proxmox-k3s': runner },
      fault,
    },
    now: () => new Date(),
    marker: {
      applied: async (id: string) => applied.get(id),
      markApplied: async (id: string, sha: string) => void applied.set(id, sha),
    },
    artifacts: { put: async () => '', get: async () => undefined },
    runnerFor: () => runner,
  } as unknown as ForgeContext;
  return { f, published };
}

async function plan(f: ForgeContext, published: Published[], spec: PlanSpec, planId: string) {
  await buildPlan(f, makeArtifact('PlanSpec', planId, spec, { producer: 'conductor' }));
  const request = published.find((p) => p.topic === 'validate.pending')?.payload as {
    planFile: { path: string; sha256: string };
  };
  expect(request, JSON.stringify(published)).toBeDefined();
  expect(sha256Hex(readFileSync(request.planFile.path))).toBe(request.planFile.sha256);
  const planStatus = published.filter((p) => p.topic === 'build.status').at(-1)?.payload as BuildStatus;
  published.length = 0;
  const apply = makeArtifact(
    'ApplyRequest',
    planId,
    { stack: spec.stack, planSha256: request.planFile.sha256, planFile: request.planFile, approvedBy: 'U0BOB' },
    { producer: 'conductor' },
  );
  return { planStatus, apply };
}

async function applied(f: ForgeContext, published: Published[], apply: Parameters<typeof applyPlan>[1]) {
  await applyPlan(f, apply);
  const result = published.find((p) => p.topic === 'apply.result')?.payload as ApplyResult;
  published.length = 0;
  return result;
}

async function planAndApply(f: ForgeContext, published: Published[], spec: PlanSpec, planId: string) {
  const { planStatus, apply } = await plan(f, published, spec, planId);
  return { planStatus, result: await applied(f, published, apply) };
}

describe('the proxmox change runs playbooks/k3s after terraform', { timeout: 240_000 }, () => {
  it('runs the playbook on the new VMs after the apply; a plan of the existing stack shows its --check summary', async () => {
    const spec: PlanSpec = { ...proxmoxSpec(), target: 'proxmox' };
    const { f, published } = forgeOf('ok', join(dir, 'probe.yml'), spec);
    const probe = join(f.options.dataDir, 'probe');

    const first = await planAndApply(f, published, spec, 'pl_k3sfirst');
    expect(first.planStatus).toMatchObject({ phase: 'plan', ok: true });
    expect(first.planStatus.detail).not.toContain('--check'); // no VMs yet: nothing to check
    expect(first.result).toMatchObject({ result: 'APPLY_DONE' });
    expect(first.result.outputs).toMatchObject({ server_ips: ['127.0.0.1'] });
    // The outputs came with `apply -json`: no `terraform output` after the apply.
    const calls = readFileSync(join(f.options.dataDir, 'terraform-calls.log'), 'utf8').trim().split('\n');
    expect(calls.at(-1)).toBe('apply');
    expect(readdirSync(probe).sort()).toEqual(['k3s-server-1.txt', 'k3s-worker-1.txt']);
    expect(readFileSync(join(probe, 'k3s-worker-1.txt'), 'utf8')).toBe('127.0.0.2');

    rmSync(join(probe, 'k3s-server-1.txt'));
    const second = await planAndApply(f, published, spec, 'pl_k3ssecond');
    expect(second.planStatus.detail).toContain('playbooks/k3s --check on 2 host(s): 1 change(s) would be made');
    expect(second.planStatus.detail).toContain('would change: Record the host (k3s-server-1)');
    // The check changed nothing; the apply did.
    expect(second.result).toMatchObject({ result: 'APPLY_DONE' });
    expect(readdirSync(probe).sort()).toEqual(['k3s-server-1.txt', 'k3s-worker-1.txt']);
  });

  it("fails the apply with the playbook's message when playbooks/k3s fails", async () => {
    const spec: PlanSpec = { ...proxmoxSpec(), target: 'proxmox', stack: 'k3s-broken' };
    const { f, published } = forgeOf('failing', join(dir, 'failing.yml'), spec);
    const { result } = await planAndApply(f, published, spec, 'pl_k3sfails');
    expect(result.result).toBe('APPLY_FAILED');
    expect(result.detail).toMatch(/^playbooks\/k3s failed after the terraform apply \(ansible-playbook exit 2\): /);
    expect(result.detail).toContain('the K3s API server did not come up');
  });

  it('runs the playbook when Forge stopped between the terraform apply and the playbook', async () => {
    const spec: PlanSpec = { ...proxmoxSpec(), target: 'proxmox', stack: 'k3s-crash' };
    const crashing = forgeOf('crash', join(dir, 'probe.yml'), spec, (point) => {
      if (point === 'forge:after-apply') throw new Error('killed after the terraform apply');
    });
    const { apply } = await plan(crashing.f, crashing.published, spec, 'pl_k3scrash');
    await expect(applyPlan(crashing.f, apply)).rejects.toThrow(/killed after the terraform apply/);
    const probe = join(crashing.f.options.dataDir, 'probe');
    expect(readdirSync(probe)).toEqual([]);

    // The redelivered request, on a Forge that never marked the plan applied: the plan file is
    // stale (terraform applied it), the stack matches it, and the playbook runs now.
    const again = forgeOf('crash', join(dir, 'probe.yml'), spec);
    const result = await applied(again.f, again.published, apply);
    expect(result).toMatchObject({ result: 'APPLY_DONE', detail: 'the stack already matches this plan' });
    expect(readdirSync(probe).sort()).toEqual(['k3s-server-1.txt', 'k3s-worker-1.txt']);
  });
});
