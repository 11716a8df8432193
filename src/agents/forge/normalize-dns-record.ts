import { isIPv4, isIPv6 } from 'node:net';
import type { DnsRecordParams } from '../../../contracts/index.js';
import { CrewError } from '../../errors.js';
import { describeTemplateMarker, findTemplateMarker } from '../../util/find-template-marker.js';

/** One record as the dns playbook takes it: names lower-case, values in canonical form. */
export interface DnsRecord {
  zone: string;
  /** Relative to the zone; `@` is the apex. */
  name: string;
  /** Absolute, with the trailing dot. */
  fqdn: string;
  type: DnsRecordParams['type'];
  /** Absent on a removal of the whole record set of this name and type. */
  value?: string;
  ttl: number;
}

const HOST = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/;
// Printable ASCII only: the value becomes part of an nsupdate command line.
const PRINTABLE = /^[\x20-\x7e]+$/;

function bad(message: string): never {
  throw new CrewError('CREW_ERR_BAD_INPUT', message);
}

/** `2001:DB8:0::1` → `2001:db8::1`, the form dig prints. */
function canonicalIpv6(value: string): string {
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

function normalizeValue(type: DnsRecordParams['type'], value: string): string {
  switch (type) {
    case 'A':
      if (!isIPv4(value)) bad(`an A record needs an IPv4 address, not ${value}`);
      return value;
    case 'AAAA':
      if (!isIPv6(value)) bad(`an AAAA record needs an IPv6 address, not ${value}`);
      return canonicalIpv6(value);
    case 'CNAME': {
      const host = value.toLowerCase().replace(/\.$/, '');
      if (!HOST.test(host)) bad(`a CNAME record needs a host name, not ${value}`);
      return host;
    }
    case 'TXT':
      if (!PRINTABLE.test(value)) bad('a TXT value may hold printable ASCII characters only');
      return value;
  }
}

export function normalizeDnsRecord(p: DnsRecordParams): DnsRecord {
  const zone = p.zone.toLowerCase().replace(/\.$/, '');
  const name = p.name.toLowerCase();
  // Passed to Ansible as !unsafe data anyway; refused as well, whatever produced the spec.
  if (p.value === undefined && p.action !== 'remove')
    bad(`adding ${p.type} record ${name === '@' ? zone : `${name}.${zone}`} needs a value`);
  for (const [what, text] of [
    ['the zone', p.zone],
    ['the record name', p.name],
    [`the ${p.type} value of ${name === '@' ? zone : `${name}.${zone}`}`, p.value ?? ''],
  ] as const) {
    const marker = findTemplateMarker(text);
    if (marker) bad(describeTemplateMarker(what, marker));
  }
  if (p.type === 'CNAME' && name === '@') bad(`a CNAME cannot sit at the zone apex (${zone})`);
  return {
    zone,
    name,
    fqdn: name === '@' ? `${zone}.` : `${name}.${zone}.`,
    type: p.type,
    ...(p.value === undefined ? {} : { value: normalizeValue(p.type, p.value) }),
    ttl: p.ttl,
  };
}

/** True when the record lies inside `zone` (the zone itself or below it). */
export function isInZone(record: DnsRecord, zone: string): boolean {
  const z = zone.toLowerCase().replace(/\.$/, '');
  return record.zone === z || record.zone.endsWith(`.${z}`);
}
