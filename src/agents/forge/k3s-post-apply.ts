import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvSource } from '../../config/read-env-values.js';
import { buildAnsibleEnv } from './build-ansible-env.js';
import { locatePlaybook } from './locate-playbook.js';
import { runAnsibleProcess } from './run-ansible-process.js';
import { failureMessage } from './run-dns-playbook.js';
import { renderUnsafeVars, type VarValue } from './render-unsafe-vars.js';

export interface K3sPostApplyOptions {
  /** The ansible-playbook binary. */
  bin: string;
  /** Default playbooks/k3s/site.yml (install K3s, then deploy the manifests). */
  playbook?: string;
  /** The stack's workspace: the inventory and vars files go to `<workDir>/ansible`. */
  workDir: string;
  /** Where ANSIBLE_* settings, PATH, HOME and LANG come from (the crew's config.inheritedEnv). */
  env: EnvSource;
  timeoutMs: number;
  /** Overrides of playbooks/k3s/k3s-vars.yml (e.g. k3s_version, k3s_install_url): data, never templates. */
  extraVars?: Record<string, VarValue>;
  /** SSH key for the cloud-init user (`--private-key`). */
  privateKeyFile?: string;
  onLog?: (line: string) => void;
}

export interface K3sPostApplyRun {
  /** `terraform output -json` of the applied proxmox root (see renderProxmox's outputs). */
  outputs: Record<string, unknown>;
  /** `--check --diff`: report what would change on the VMs, change nothing (for the plan review). */
  check: boolean;
}

export interface K3sPostApplyResult {
  exitCode: number;
  inventoryPath: string;
  /** The whole run's output, redacted: the check-mode diff a reviewer reads. */
  output: string;
  /** The failed task's message, empty when the run succeeded. */
  error: string;
}

/**
 * After a proxmox-k3s apply: renders the Ansible inventory from the module's outputs and runs
 * playbooks/k3s against it. Arguments are an array (no shell) and extra vars go in a file
 * whose strings are all `!unsafe`, so nothing from the outputs or the vars is ever evaluated.
 */
export async function runK3sPostApply(o: K3sPostApplyOptions, run: K3sPostApplyRun): Promise<K3sPostApplyResult> {
  const dir = join(o.workDir, 'ansible');
  await mkdir(join(o.workDir, '.ansible', 'tmp'), { recursive: true });
  await mkdir(dir, { recursive: true });
  const inventoryPath = join(dir, 'k3s-inventory.yml');
  // The YAML writer only for a k3s cluster's apply, not for every crew that could run one.
  const { renderK3sInventory } = await import('./k3s-inventory.js');
  await writeFile(inventoryPath, renderK3sInventory(run.outputs), { mode: 0o600 });
  const args = [o.playbook ?? locatePlaybook('k3s', 'site.yml'), '-i', inventoryPath];
  if (o.extraVars && Object.keys(o.extraVars).length > 0) {
    const varsPath = join(dir, 'k3s-vars.override.yml');
    await writeFile(varsPath, renderUnsafeVars(o.extraVars), { mode: 0o600 });
    args.push('-e', `@${varsPath}`);
  }
  if (o.privateKeyFile) args.push('--private-key', o.privateKeyFile);
  args.push(...(run.check ? ['--check', '--diff'] : ['--diff']));
  const lines: string[] = [];
  const { exitCode, tail } = await runAnsibleProcess({
    bin: o.bin,
    args,
    cwd: o.workDir,
    env: buildAnsibleEnv(o.workDir, {}, o.env),
    timeoutMs: o.timeoutMs,
    onLog: (line) => {
      lines.push(line);
      o.onLog?.(line);
    },
  });
  return { exitCode, inventoryPath, output: lines.join('\n'), error: exitCode === 0 ? '' : failureMessage(tail) };
}
