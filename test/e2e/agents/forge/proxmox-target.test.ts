import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_MIRROR, requireAwsMirror } from '../../../support/aws-target.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

// The proxmox target with the real CLI and terraform, on a machine whose provider mirror lacks
// bpg/proxmox (this one's holds only hashicorp/aws): the plan fails before init, and the
// BuildStatus and `crew doctor` both say which provider is missing and how to mirror it. A real
// proxmox apply cannot run here (no Proxmox, no provider): see the integration tests for the
// playbooks/k3s step after the apply.

const GOAL = 'k3s cluster on proxmox with 3 servers and 2 workers, one with a GPU, stack k3s-lab';
const SECRET = 'c0ffee00-planted-token-secret';

let mirror: string;
let t: CrewEnv;
beforeAll(async () => {
  requireAwsMirror();
  // A mirror with hashicorp/aws only, as on this machine (or a fresh copy of it).
  mirror = mkdtempSync(join(tmpdir(), 'crew-aws-only-mirror-'));
  mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp'), { recursive: true });
  symlinkSync(
    join(AWS_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'),
    join(mirror, 'registry.terraform.io', 'hashicorp', 'aws'),
  );
  t = await makeCrewEnv({
    CREW_TF_PLUGIN_MIRROR: mirror,
    CREW_PROXMOX_ENDPOINT: 'https://pve.example.test:8006/',
    PROXMOX_API_TOKEN: `crew@pve!forge=${SECRET}`,
  });
});
afterAll(async () => {
  await t?.close();
  if (mirror) rmSync(mirror, { recursive: true, force: true });
});

interface PlanOut {
  id: string;
  state: string;
  failure?: string;
  planSpec: { blueprint: string; target: string };
}

describe('the proxmox target without bpg/proxmox in the mirror', { timeout: 120_000 }, () => {
  it('fails the plan before init, naming the provider and how to mirror it; doctor says the same', async () => {
    const planned = await t.crew(['plan', GOAL, '--target', 'proxmox', '--as', 'alice', '--json']);
    const out = jsonOf<PlanOut>(planned);
    expect(out.planSpec).toMatchObject({ blueprint: 'proxmox-k3s', target: 'proxmox' });
    expect(out.state, planned.stdout).toBe('FAILED');
    expect(out.failure).toContain(
      `Terraform provider bpg/proxmox is not available in the mirror CREW_TF_PLUGIN_MIRROR=${mirror}`,
    );
    expect(out.failure).toContain(`terraform providers mirror -platform=linux_amd64 ${mirror}`);
    expect(planned.stdout + planned.stderr).not.toContain(SECRET);
    // Before init: no .terraform and no provider download was tried.
    expect(existsSync(join(t.dataDir, 'stacks', 'k3s-lab', '.terraform'))).toBe(false);

    const doctor = await t.crew(['doctor', '--target', 'proxmox']);
    expect(doctor.code, doctor.stdout).toBe(1);
    expect(doctor.stdout).toContain(
      `FAIL  providers: Terraform provider bpg/proxmox is not available in the CREW_TF_PLUGIN_MIRROR mirror ${mirror}`,
    );
    expect(doctor.stdout).toContain(`terraform providers mirror -platform=linux_amd64 ${mirror}`);
    expect(doctor.stdout).toMatch(/ok +proxmox api: endpoint https:\/\/pve\.example\.test:8006\/, API token set/);
    expect(doctor.stdout).not.toContain(SECRET);
    expect((await t.crew(['doctor', '--target', 'aws'])).stdout).toMatch(/ok +providers: hashicorp\/aws found/);
  });

  it('fails a plan without the API token, naming the setting', async () => {
    const planned = await t.crew(
      ['plan', GOAL.replace('k3s-lab', 'k3s-notoken'), '--target', 'proxmox', '--as', 'alice', '--json'],
      { PROXMOX_API_TOKEN: '', CREW_TF_PLUGIN_MIRROR: '' },
    );
    const out = jsonOf<PlanOut>(planned);
    expect(out.state).toBe('FAILED');
    expect(out.failure).toMatch(/^the proxmox target needs PROXMOX_API_TOKEN/);
  });
});
