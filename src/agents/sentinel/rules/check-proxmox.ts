import type { Finding } from '../../../../contracts/index.js';
import { lookupAll, toBool } from '../plan/lookup-value.js';
import { readProviderArgument } from '../plan/read-configuration.js';
import { ownValue } from '../util/own-value.js';
import { inspectResources, type Check } from './inspect-resources.js';
import { finding, unknownFinding, type Rule, type RuleContext, type RuleInfo } from './rule-types.js';

export const PROXMOX_TLS: RuleInfo = {
  id: 'CREW_PROXMOX_TLS',
  title: 'Proxmox provider verifies TLS',
  severity: 'HIGH',
};
export const PROXMOX_PASSWORD: RuleInfo = {
  id: 'CREW_PROXMOX_PASSWORD',
  title: 'No VM passwords in Terraform',
  severity: 'HIGH',
};

// bpg/proxmox calls it `insecure`, Telmate/proxmox `pm_tls_insecure`.
const TLS_ARGS = ['insecure', 'pm_tls_insecure'];
const PASSWORD_PATHS: Record<string, string[]> = {
  proxmox_vm_qemu: ['cipassword'],
  proxmox_lxc: ['password'],
  proxmox_virtual_environment_vm: ['initialization.user_account.password'],
  proxmox_virtual_environment_container: ['initialization.user_account.password'],
};

export const proxmoxTlsRule: Rule = {
  infos: [PROXMOX_TLS],
  run(ctx: RuleContext) {
    const out: Finding[] = [];
    for (const p of ctx.index.plan.providers.filter((x) => x.name === 'proxmox')) {
      for (const arg of TLS_ARGS) {
        const v = readProviderArgument(p, arg, ctx.index.plan.variables);
        const address = `provider.${p.key}`;
        if (!v) continue;
        if (!v.known) out.push(unknownFinding(PROXMOX_TLS, address, arg));
        else if (toBool(v.value) === true) {
          out.push(
            finding(
              PROXMOX_TLS,
              address,
              `${arg} = true disables TLS verification of the Proxmox API: install the cluster CA (or a real certificate) and remove ${arg}`,
            ),
          );
        }
      }
    }
    return out;
  },
};

export const proxmoxPasswordRule: Rule = {
  infos: [PROXMOX_PASSWORD],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, PROXMOX_PASSWORD, Object.keys(PASSWORD_PATHS), (src, r): Check[] => {
      const sensitiveTree = src.side === 'after' ? r.afterSensitive : r.beforeSensitive;
      const checks: Check[] = [];
      for (const path of ownValue(PASSWORD_PATHS, r.type) ?? []) {
        // Presence only: the value is never compared, copied or printed.
        const marked = lookupAll(sensitiveTree, undefined, path).some((l) => l.kind === 'value' && l.value === true);
        const set = src.get(path).some((l) => l.kind === 'unknown' || (l.kind === 'value' && l.value !== ''));
        if (!set) continue;
        checks.push({
          status: 'fail',
          key: path,
          observed: `${path} set`,
          message: `${path} is set (${marked ? 'sensitive, ' : 'not even marked sensitive, '}value not shown): it ends up in Terraform state and cloud-init; use SSH keys and keep passwords in Vault`,
        });
      }
      if (checks.length === 0) checks.push({ status: 'pass', key: 'password', observed: 'no password set' });
      return checks;
    }),
};
