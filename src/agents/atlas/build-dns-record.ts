import type { DnsRecordParams, PlanSpec } from '../../../contracts/index.js';
import type { AtlasDefaults } from './atlas-types.js';
import { FIXED } from './default-atlas-defaults.js';
import type { GoalFacts } from './extract-facts.js';
import { refuse, type Refusal } from '../../errors.js';

export type DnsBuilt =
  | { ok: true; params: DnsRecordParams; stack: string; current?: PlanSpec }
  /** bad-input: a value in the goal is wrong; blocked: the goal says too little to plan a record. */
  | Refusal<'bad-input' | 'blocked'>;

/** `dns-<zone with dots as dashes>`, kept inside the stack-name pattern. */
export function dnsStackName(zone: string): string {
  const slug = `dns-${zone.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 40);
  return slug.replace(/-+$/, '');
}

/**
 * Public top-level domains: every two-letter one (a country's) and the common generic ones. A
 * two-label name under one ("example.com") is a registered domain, so a zone; under any other
 * suffix ("nas.lan", "test.local") its first label is a host.
 */
const PUBLIC_TLD =
  /^(?:[a-z]{2}|com|org|net|edu|gov|mil|int|info|biz|name|pro|io|dev|app|ai|cloud|tech|online|site|xyz|shop|store|blog|page|email|systems|network|services|solutions|digital)$/;

/** Second-level public suffixes under a country: a name directly under one is a registered domain. */
const SECOND_LEVEL = /^(?:co|com|org|net|ac|gov|edu|ltd|plc|me|ne|or|go)\.[a-z]{2}$/;

/** Splits a name into (relative name, zone): inside the named or default zone, else a public domain's apex
 * ("example.com"), else the first label (and any underscore labels after it) vs. the rest. */
function splitName(
  fqdn: string,
  zone: string | undefined,
  dflt: string,
): { name: string; zone: string } | { error: string } {
  const within = (z: string) =>
    fqdn === z ? '@' : fqdn.endsWith(`.${z}`) ? fqdn.slice(0, -(z.length + 1)) : undefined;
  if (zone) {
    const name = within(zone);
    if (name) return { name, zone };
    // "Zone: example.org / Record: _acme-challenge.build": a name that ends in no known top-level
    // domain, beside a stated zone, is the record's name inside it.
    const last = fqdn.split('.').pop() ?? '';
    if (!PUBLIC_TLD.test(last) && !/^(?:internal|lan|local|home|arpa|corp|lab|test|intra|localdomain)$/.test(last))
      return { name: fqdn, zone };
    return { error: `${fqdn} is not inside zone ${zone}` };
  }
  const inDefault = within(dflt);
  if (inDefault) return { name: inDefault, zone: dflt };
  // "a txt on example.com": a domain under a public top-level domain is a zone, so the record sits
  // at its apex. Under another suffix ("nas.lan", "test.local") the first label is a host.
  const labels = fqdn.split('.');
  if (labels.length === 2 && PUBLIC_TLD.test(labels[1] ?? '')) return { name: '@', zone: fqdn };
  // "example.co.uk", "shop.com.au": a registered domain under a country's second-level suffix.
  if (labels.length === 3 && SECOND_LEVEL.test(labels.slice(1).join('.'))) return { name: '@', zone: fqdn };
  // Labels starting with "_" (DKIM selectors, SRV and ACME names) belong to the record, never the zone.
  let last = labels.reduce((at, label, i) => (label.startsWith('_') && i < labels.length - 1 ? i : at), 0);
  // "*.apps.k8s.example.com": a wildcard covers the names under its parent, which sits in the zone
  // above it (name "*.apps" in k8s.example.com), unless that would leave a bare domain as the zone.
  if (last === 0 && labels[0] === '*' && labels.length >= 5) last = 1;
  return { name: labels.slice(0, last + 1).join('.'), zone: labels.slice(last + 1).join('.') };
}

type Value = { type: DnsRecordParams['type']; value: string } | { error: string } | undefined;

/** The record value the goal states, checked against an explicit type. */
function statedValue(f: GoalFacts): Value {
  const n = f.network;
  const candidates: Record<DnsRecordParams['type'], string | undefined> = {
    A: n.ipv4[0],
    AAAA: n.ipv6[0],
    TXT: f.dns.txt,
    CNAME: f.dns.target ?? f.dns.fqdns[1],
  };
  const t = f.dns.type;
  if (t) {
    const v = candidates[t];
    if (v !== undefined) return { type: t, value: v };
    const other = (['A', 'AAAA', 'TXT', 'CNAME'] as const).find((k) => candidates[k] !== undefined);
    const need = {
      A: 'an IPv4 address',
      AAAA: 'an IPv6 address',
      TXT: 'a text value, quoted or after "value:"',
      CNAME: 'a target host name',
    }[t];
    return other
      ? { error: `${t === 'A' ? 'an' : 'a'} ${t} record needs ${need}; got ${candidates[other]}` }
      : undefined;
  }
  for (const k of ['TXT', 'A', 'AAAA', 'CNAME'] as const) {
    const v = candidates[k];
    if (v !== undefined) return { type: k, value: v };
  }
  return undefined;
}

export function buildDnsRecord(
  f: GoalFacts,
  d: AtlasDefaults,
  named: string | undefined,
  lookup: (stack: string) => PlanSpec | undefined,
  notes: string[],
): DnsBuilt {
  const fqdn = f.dns.fqdns[0];
  const remove = f.dns.remove;
  let where: { name: string; zone: string } | { error: string } | undefined;
  if (fqdn) where = splitName(fqdn, f.dns.zone, d.dnsZone);
  else if (f.dns.bareName) where = { name: f.dns.bareName, zone: f.dns.zone ?? d.dnsZone };
  const namedSpec = named ? lookup(named) : undefined;
  if (!where && namedSpec?.blueprint === 'dns-record')
    where = { name: namedSpec.params.name, zone: namedSpec.params.zone };
  if (!where) return refuse('blocked', 'A DNS record needs a name, e.g. "Add DNS record test.local to 192.168.1.100".');
  if ('error' in where) return refuse('bad-input', where.error);
  const { name, zone } = where;
  const stack = named ?? dnsStackName(zone);
  const current = named ? namedSpec : lookup(stack);
  if (current && current.blueprint !== 'dns-record')
    return refuse('blocked', `Stack ${stack} holds a ${current.blueprint} plan, not DNS records.`);
  const sameRecord =
    current?.blueprint === 'dns-record' && current.params.name === name && current.params.zone === zone
      ? current.params
      : undefined;
  const stated = statedValue(f);
  if (stated && 'error' in stated) return refuse('bad-input', stated.error);
  let type = stated?.type;
  let value = stated?.value;
  if (!value && remove && sameRecord && (!f.dns.type || f.dns.type === sameRecord.type)) {
    type = sameRecord.type;
    value = sameRecord.value;
    notes.push(`Removes the current ${type} record ${name}.${zone} → ${value} (from stack ${stack}).`);
  }
  const shown = name === '@' ? zone : `${name}.${zone}`;
  // "set the ttl of test.local to 600": the record the stack holds, with its new TTL.
  const newTtl = f.dns.ttl ?? f.dns.durationSec;
  if (!value && !remove && newTtl !== undefined && sameRecord?.value && sameRecord.action !== 'remove') {
    if (!f.dns.type || f.dns.type === sameRecord.type) {
      type = sameRecord.type;
      value = sameRecord.value;
      if (sameRecord.ttl !== newTtl)
        notes.push(`Keeps ${shown} → ${value} (${type}); its TTL goes from ${sameRecord.ttl} to ${newTtl} seconds.`);
    }
  }
  if (!value && remove) {
    // Removal by name and type: the plan step looks up what the server holds and removes that set.
    // "remove test.local" names no type: a name's record is its address (A) unless said otherwise,
    // and the plan shows what the server holds before anything is removed (none: nothing to remove).
    const t = type ?? f.dns.type ?? 'A';
    if (!type && !f.dns.type)
      notes.push(
        `No record type given: removes the A records of ${shown}. For another type, say e.g. "remove the CNAME ${shown}".`,
      );
    notes.push(
      `Removes every ${t} record of ${shown}: the plan looks up what the server holds now and shows it for approval.`,
    );
    const ttl = f.dns.ttl ?? f.dns.durationSec ?? FIXED.ttl;
    return { ok: true, stack, current, params: { zone, name, type: t, ttl, action: 'remove' } };
  }
  if (!type || !value) {
    return refuse(
      'blocked',
      `A value is needed for ${name}.${zone}: an IPv4 (A), IPv6 (AAAA), host name (CNAME) or text (TXT), quoted or after "value:".`,
    );
  }
  if (type === 'CNAME' && name === '@') return refuse('bad-input', `a CNAME cannot sit at the zone apex (${zone})`);
  const ttl = f.dns.ttl ?? f.dns.durationSec ?? sameRecord?.ttl ?? FIXED.ttl;
  if (ttl < 1 || ttl > 604800) return refuse('bad-input', `ttl ${ttl} seconds is out of range (1 second to 7 days)`);
  // Two addresses are two records (or one record set the blueprint cannot hold): planning the
  // first alone would drop the rest, so the plan stops and asks.
  const addresses = [...f.network.ipv4, ...f.network.ipv6];
  if (addresses.length > 1 && (type === 'A' || type === 'AAAA'))
    return refuse(
      'blocked',
      `One record per plan, and this asks for ${addresses.length} addresses (${addresses.join(', ')}): send one request per record, e.g. "add A record ${shown} → ${value}".`,
    );
  if (!remove && sameRecord && sameRecord.value !== value)
    notes.push(`Replaces ${name}.${zone} → ${sameRecord.value} with ${value}.`);
  return { ok: true, stack, current, params: { zone, name, type, value, ttl, action: remove ? 'remove' : 'add' } };
}
