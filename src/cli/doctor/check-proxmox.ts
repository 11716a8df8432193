import { errorMessage } from '../../errors.js';
import { fail, ok, type DoctorCheck, type DoctorProxmox } from './doctor-types.js';
import { runVersionCommand } from './run-version-command.js';

/** The Proxmox API endpoint and token Forge hands terraform. */
export function checkProxmoxApi(p: DoctorProxmox): DoctorCheck {
  const name = 'proxmox api';
  const missing = [...(p.endpoint ? [] : ['CREW_PROXMOX_ENDPOINT']), ...(p.hasApiToken ? [] : ['PROXMOX_API_TOKEN'])];
  if (missing.length)
    return fail(
      name,
      `${missing.join(' and ')} not set`,
      'set CREW_PROXMOX_ENDPOINT=https://<pve host>:8006/ and PROXMOX_API_TOKEN=user@realm!tokenid=secret (in Vault or the environment)',
    );
  return ok(name, `endpoint ${p.endpoint}, API token set`);
}

/** ansible-playbook, which runs playbooks/k3s after every proxmox apply. */
export async function checkAnsible(p: DoctorProxmox, env: Record<string, string>): Promise<DoctorCheck> {
  const name = 'ansible';
  try {
    const stdout = await runVersionCommand(p.ansiblePlaybookBin, ['--version'], env);
    const version = String(stdout).split('\n')[0] ?? '';
    const key = p.sshKeyFile ? `, logs in with ${p.sshKeyFile}` : ', logs in with the SSH agent or default keys';
    return ok(name, `${version}${key}`);
  } catch (err) {
    return fail(
      name,
      `${p.ansiblePlaybookBin} did not run: ${errorMessage(err).split('\n')[0]}`,
      'install Ansible (Debian package ansible-core; scripts/ensure-deps.sh does) or set CREW_ANSIBLE_PLAYBOOK_BIN',
    );
  }
}
