import { join } from 'node:path';
import type { EnvSource } from '../../config/read-env-values.js';

// ansible-playbook gets only what it needs: never the whole process environment, which holds
// the bot's own secrets (Slack tokens, Vault token, the TSIG secret, ...). `source` is what the
// crew lets child processes inherit (config.inheritedEnv).
export function buildAnsibleEnv(
  workDir: string,
  extra: Record<string, string>,
  source: EnvSource,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (key === 'PATH' || key === 'HOME' || key === 'LANG' || key.startsWith('ANSIBLE_')) env[key] = value;
  }
  const tmp = join(workDir, '.ansible', 'tmp');
  return {
    // Ansible refuses to start without a UTF-8 locale.
    LANG: 'C.UTF-8',
    ...env,
    ...extra,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    // One process per module instead of copy, chmod, run, delete: much faster on a busy host.
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
    ANSIBLE_HOME: join(workDir, '.ansible'),
    ANSIBLE_LOCAL_TEMP: tmp,
    ANSIBLE_REMOTE_TEMP: tmp,
  };
}
