import { CrewError, errorMessage } from '../../errors.js';
import { tail } from './explain-failure.js';
import { runK3sPostApply, type K3sPostApplyOptions } from './k3s-post-apply.js';
import type { StackWorkspace } from './stack-workspace.js';
import { summarizeAnsibleCheck } from './summarize-ansible-check.js';

/** How Forge runs playbooks/k3s for a proxmox stack (its workspace is the stack's). */
export type K3sRunOptions = Omit<K3sPostApplyOptions, 'workDir'>;

const LABEL = 'playbooks/k3s';

/**
 * The second half of an approved proxmox change: K3s installed on the VMs terraform just made.
 * A failing playbook fails the change (and so rolls it back), with the playbook's own message.
 */
export async function finishK3sApply(
  o: K3sRunOptions,
  ws: StackWorkspace,
  outputs: Record<string, unknown>,
): Promise<void> {
  const r = await runK3sPostApply({ ...o, workDir: ws.dir }, { outputs, check: false });
  if (r.exitCode === 0) return;
  throw new CrewError(
    'CREW_ERR_ANSIBLE',
    `${LABEL} failed after the terraform apply (ansible-playbook exit ${r.exitCode}): ${r.error || tail(r.output, 600)}`,
  );
}

/**
 * For the review of a plan on a stack that already exists: what the playbooks would change on
 * its VMs (`--check --diff`), in a few lines. Never fails the plan: a check that cannot run is
 * reported as such, and the apply runs the playbooks for real anyway.
 */
export async function reviewK3sCheck(
  o: K3sRunOptions,
  ws: StackWorkspace,
  outputs: Record<string, unknown>,
): Promise<string | undefined> {
  if (Object.keys(outputs).length === 0) return undefined; // a stack not created yet: no VMs to check
  try {
    const r = await runK3sPostApply({ ...o, workDir: ws.dir }, { outputs, check: true });
    const summary = summarizeAnsibleCheck(r.output, LABEL);
    return r.exitCode === 0 ? summary : `${summary}\n${LABEL} --check failed: ${tail(r.error || r.output, 400)}`;
  } catch (err) {
    return `${LABEL} --check could not run: ${tail(errorMessage(err), 400)}`;
  }
}
