import { readFile } from 'node:fs/promises';
import { CrewError } from '../../errors.js';
import { sha256Hex } from '../../util/new-id.js';
import { normalizeDnsRecord, type DnsRecord } from './normalize-dns-record.js';

export interface DnsRecordData {
  ttl: number;
  /** Record data as dig prints it (TXT quoted, CNAME absolute). */
  rdata: string;
}

/** The saved DNS plan: what an approval covers and exactly what apply sends. */
export interface DnsPlanFile {
  kind: 'crew-dns-plan';
  version: 1;
  /** host:port of the BIND server the plan was made against. */
  server: string;
  record: DnsRecord;
  action: 'add' | 'remove';
  /** The record set of this name and type on the server when the plan was made. */
  current: { status: string; records: DnsRecordData[]; observed: string[] };
  desired: DnsRecordData[];
  changes: boolean;
  /** sha256 of the observed record set; apply refuses when the server no longer matches it. */
  fingerprint: string;
}

/** Order-independent fingerprint of a record set (`ttl rdata` lines). */
export function fingerprintRecords(observed: readonly string[]): string {
  return sha256Hex([...observed].sort().join('\n'));
}

export function serverLabel(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a saved plan; anything that is not one of ours is refused rather than sent. */
export async function readDnsPlanFile(path: string): Promise<DnsPlanFile> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new CrewError('CREW_ERR_BAD_INPUT', `${path} is not a readable DNS plan`, { cause: err });
  }
  const ok =
    isRecord(doc) &&
    doc.kind === 'crew-dns-plan' &&
    doc.version === 1 &&
    typeof doc.server === 'string' &&
    isRecord(doc.record) &&
    (doc.action === 'add' || doc.action === 'remove') &&
    isRecord(doc.current) &&
    Array.isArray(doc.current.observed) &&
    doc.current.observed.every((o) => typeof o === 'string') &&
    typeof doc.fingerprint === 'string';
  if (!ok) throw new CrewError('CREW_ERR_BAD_INPUT', `${path} is not a DNS plan (kind crew-dns-plan, version 1)`);
  const plan = doc as unknown as DnsPlanFile;
  if (fingerprintRecords(plan.current.observed) !== plan.fingerprint) {
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `${path}: the fingerprint does not match the record set it was made from`,
    );
  }
  return { ...plan, record: checkRecord(plan.record, plan.action, path) };
}

/** The record apply sends passes the same checks as a spec's (types, template markers, canonical form). */
function checkRecord(r: DnsRecord, action: DnsPlanFile['action'], path: string): DnsRecord {
  const { zone, name, type, value, ttl } = r as unknown as Record<string, unknown>;
  if (
    typeof zone !== 'string' ||
    typeof name !== 'string' ||
    (typeof value !== 'string' && !(value === undefined && action === 'remove')) ||
    typeof ttl !== 'number' ||
    !['A', 'AAAA', 'CNAME', 'TXT'].includes(String(type))
  ) {
    throw new CrewError('CREW_ERR_BAD_INPUT', `${path}: the record is not a DNS record`);
  }
  const again = normalizeDnsRecord({
    zone,
    name,
    type: type as DnsRecord['type'],
    ...(value === undefined ? {} : { value: value as string }),
    ttl,
    action,
  });
  if (JSON.stringify(again) !== JSON.stringify({ zone, name, fqdn: r.fqdn, type, value, ttl })) {
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `${path}: the record is not in the form Forge plans it (${again.fqdn} ${again.type})`,
    );
  }
  return again;
}
