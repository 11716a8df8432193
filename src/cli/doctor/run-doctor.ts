import { checkAwsCredentials } from './check-aws-credentials.js';
import { checkBackend } from './check-backend.js';
import { checkProviders } from './check-providers.js';
import { checkAnsible, checkProxmoxApi } from './check-proxmox.js';
import { checkTerraform } from './check-terraform.js';
import type { DoctorCheck, DoctorSettings } from './doctor-types.js';

/** Every check `crew doctor` makes, in the order a first plan would hit them. */
export async function runDoctor(s: DoctorSettings): Promise<DoctorCheck[]> {
  const checks = [
    await checkTerraform(s.terraformBin, s.env, s.backend.kind),
    checkProviders(s.providers, s.pluginMirror, s.cliConfigFile),
    await checkBackend(s.backend, s.aws),
  ];
  if (s.target === 'aws' || s.backend.kind === 's3') checks.push(await checkAwsCredentials(s.aws));
  if (s.target === 'proxmox' && s.proxmox)
    checks.push(checkProxmoxApi(s.proxmox), await checkAnsible(s.proxmox, s.env));
  return checks;
}

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export function renderDoctor(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((c) => [
    `${MARK[c.status]}  ${c.name}: ${c.detail}`,
    ...(c.fix && c.status !== 'ok' ? [`      → ${c.fix}`] : []),
  ]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push(failed ? `${failed} check(s) failed: plans on this target will fail until they are fixed.` : 'ready.');
  return lines.join('\n');
}
