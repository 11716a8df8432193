import type { Finding } from '../../../../contracts/index.js';
import { ownValue } from '../util/own-value.js';
import { finding, type Rule, type RuleContext, type RuleInfo } from './rule-types.js';

export const STATEFUL_DESTROY: RuleInfo = {
  id: 'CREW_STATEFUL_DESTROY',
  title: 'No delete or replace of stateful resources',
  severity: 'HIGH',
};

// What is lost when each stateful type goes away.
const STATEFUL: Record<string, string> = {
  aws_ebs_volume: 'the data on the volume',
  aws_ebs_snapshot: 'the snapshot',
  aws_nat_gateway: 'private-subnet egress and its public IP',
  aws_eip: 'the public IP address (allow-lists pointing at it break)',
  aws_route53_zone: 'the hosted zone, its records and its name servers (delegations break)',
  aws_db_instance: 'the database',
  aws_rds_cluster: 'the database cluster',
  aws_efs_file_system: 'the file system',
  aws_s3_bucket: 'the bucket and its objects',
  aws_dynamodb_table: 'the table',
  aws_elasticache_cluster: 'the cache data',
  aws_kms_key: 'the key (data encrypted with it becomes unreadable)',
  proxmox_vm_qemu: 'the VM and its disks',
  proxmox_lxc: 'the container and its disks',
  proxmox_virtual_environment_vm: 'the VM and its disks',
  proxmox_virtual_environment_container: 'the container and its disks',
};

const RECORD_TYPES = new Set(['SOA', 'NS']);

/** What is lost when a resource of this type goes away; undefined: nothing that cannot be rebuilt. */
export function lossOf(type: string, before: Record<string, unknown> | null): string | undefined {
  if (type === 'aws_route53_record') {
    const t = String(before?.type ?? '').toUpperCase();
    return RECORD_TYPES.has(t) ? `the zone's ${t} record (delegation and resolution of the zone)` : undefined;
  }
  return ownValue(STATEFUL, type);
}

export const statefulDestroyRule: Rule = {
  infos: [STATEFUL_DESTROY],
  run(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of ctx.index.managed) {
      if (r.kind !== 'delete' && r.kind !== 'replace') continue;
      const loss = lossOf(r.type, r.before);
      if (!loss) continue;
      const forced = (r.replacePaths ?? [])
        .map((p) => (Array.isArray(p) ? p.join('.') : String(p)))
        .filter((p) => p !== '');
      const what =
        r.kind === 'delete'
          ? 'deletes'
          : `replaces (${r.actions.join(' then ')}${forced.length ? `, forced by ${forced.join(', ')}` : ''})`;
      out.push(
        finding(
          STATEFUL_DESTROY,
          r.address,
          `this plan ${what} ${r.address}, losing ${loss}: if intended, snapshot/back up first and add a waiver; otherwise add lifecycle { prevent_destroy = true } and revert the change that forces it`,
        ),
      );
    }
    return out;
  },
};
