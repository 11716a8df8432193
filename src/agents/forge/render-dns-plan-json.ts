import type { DnsPlanFile, DnsRecordData } from './dns-plan-file.js';

// The hashicorp/dns provider's resource types, so Sentinel reads a DNS plan like any other.
const RESOURCE_TYPE = {
  A: 'dns_a_record_set',
  AAAA: 'dns_aaaa_record_set',
  CNAME: 'dns_cname_record',
  TXT: 'dns_txt_record_set',
} as const;
const PROVIDER = 'registry.terraform.io/hashicorp/dns';

/** `"a b" "c\"d"` → `a bc"d`: the text of a TXT record as dig prints it. */
export function unquoteTxt(rdata: string): string {
  if (!rdata.startsWith('"')) return rdata;
  let out = '';
  let inside = false;
  for (let i = 0; i < rdata.length; i++) {
    const c = rdata[i] ?? '';
    if (c === '"') inside = !inside;
    else if (!inside) continue;
    else if (c === '\\' && /^\d{3}$/.test(rdata.slice(i + 1, i + 4))) {
      out += String.fromCharCode(Number(rdata.slice(i + 1, i + 4)));
      i += 3;
    } else if (c === '\\') out += rdata[++i] ?? '';
    else out += c;
  }
  return out;
}

/** Terraform resource name for a record name: `@` → apex, `*` → wildcard, dots → `_`. */
export function resourceName(name: string): string {
  const label = name === '@' ? 'apex' : name.replace(/\*/g, 'wildcard').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(label) ? label : `_${label}`;
}

function attributes(plan: DnsPlanFile, set: DnsRecordData[]): Record<string, unknown> | null {
  const first = set[0];
  if (!first) return null;
  const { record } = plan;
  const base = { zone: `${record.zone}.`, ...(record.name === '@' ? {} : { name: record.name }), ttl: first.ttl };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { ...base, addresses: set.map((r) => r.rdata).sort() };
    case 'CNAME':
      return { ...base, cname: first.rdata.toLowerCase() };
    case 'TXT':
      return { ...base, txt: set.map((r) => unquoteTxt(r.rdata)).sort() };
  }
}

function actionsOf(before: unknown, after: unknown, changes: boolean): string[] {
  if (!changes) return ['no-op'];
  if (before === null) return ['create'];
  if (after === null) return ['delete'];
  return ['update'];
}

/** Terraform plan JSON (format 1.2) for one DNS record change. */
export function renderDnsPlanJson(plan: DnsPlanFile): Record<string, unknown> {
  const type = RESOURCE_TYPE[plan.record.type];
  const name = resourceName(plan.record.name);
  const address = `${type}.${name}`;
  const before = attributes(plan, plan.current.records);
  const after = attributes(plan, plan.desired);
  const resource = (values: Record<string, unknown>) => ({
    address,
    mode: 'managed',
    type,
    name,
    provider_name: PROVIDER,
    schema_version: 0,
    values,
  });
  // Nothing before and nothing after (removing an absent record) is no resource at all.
  const changes =
    before === null && after === null
      ? []
      : [
          {
            address,
            mode: 'managed',
            type,
            name,
            provider_name: PROVIDER,
            change: {
              actions: actionsOf(before, after, plan.changes),
              before,
              after,
              after_unknown: {},
              before_sensitive: {},
              after_sensitive: {},
            },
          },
        ];
  const [host, port] = [
    plan.server.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
    Number(/:(\d+)$/.exec(plan.server)?.[1] ?? 53),
  ];
  return {
    format_version: '1.2',
    planned_values: { root_module: { resources: after ? [resource(after)] : [] } },
    prior_state: { format_version: '1.0', values: { root_module: { resources: before ? [resource(before)] : [] } } },
    resource_changes: changes,
    configuration: {
      provider_config: {
        dns: {
          name: 'dns',
          full_name: PROVIDER,
          expressions: { update: [{ server: { constant_value: host }, port: { constant_value: port } }] },
        },
      },
      root_module: { resources: [{ address, mode: 'managed', type, name, provider_config_key: 'dns' }] },
    },
  };
}
