import { parse } from 'yaml';
import { errorMessage } from '../../../errors.js';
import { asRecord, toNumber } from '../plan/lookup-value.js';
import type { UsageFile, UsageValues } from './usage-for.js';

export type { UsageFile, UsageValues } from './usage-for.js';

// Infracost's usage file (`infracost-usage.yml`), so a team that keeps one reuses it:
//   version: 0.1
//   resource_type_default_usage: { aws_nat_gateway: { monthly_data_processed_gb: 10 } }
//   resource_usage: { aws_nat_gateway.main: { monthly_data_processed_gb: 100 } }
// An address may hold `*` wildcards (`aws_nat_gateway.*`, `module.m[*].aws_lb.web`), as Infracost
// allows: an exact address wins, then the first wildcard in file order, then the type default.

export type ReadUsageResult = { ok: true; usage: UsageFile } | { ok: false; reason: string };

function numbers(raw: unknown, where: string): UsageValues | string {
  const rec = asRecord(raw);
  if (!rec) return `${where} must be a map of usage keys to numbers`;
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [key, value] of Object.entries(rec)) {
    // Nested maps (S3 storage classes…) and strings (operating_system) are for resources Sentinel does not price.
    if (typeof value === 'string' || asRecord(value) || value === null) continue;
    const n = toNumber(value);
    if (n === null || n < 0) return `${where}.${key} must be a number of at least 0`;
    out[key] = n;
  }
  return out;
}

function wildcard(address: string): RegExp {
  const escaped = address.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function parseUsageFile(text: string, fileName = 'infracost-usage.yml'): ReadUsageResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { ok: false, reason: `${fileName} is not YAML: ${errorMessage(err)}` };
  }
  const root = asRecord(doc);
  if (!root) return { ok: false, reason: `${fileName}: expected a map with version and resource_usage` };
  if (String(root.version).replace(/^v/, '') !== '0.1')
    return { ok: false, reason: `${fileName}: version ${String(root.version)} is not supported (expected 0.1)` };
  const exact = new Map<string, UsageValues>();
  const wildcards: { pattern: RegExp; values: UsageValues }[] = [];
  const byType = new Map<string, UsageValues>();
  for (const [section, target] of [
    ['resource_usage', 'address'],
    ['resource_type_default_usage', 'type'],
  ] as const) {
    const entries = root[section] ?? {};
    if (!asRecord(entries)) return { ok: false, reason: `${fileName}: ${section} must be a map` };
    for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
      const values = numbers(raw, `${fileName}: ${section}.${key}`);
      if (typeof values === 'string') return { ok: false, reason: values };
      if (target === 'type') byType.set(key, values);
      else if (key.includes('*')) wildcards.push({ pattern: wildcard(key), values });
      else exact.set(key, values);
    }
  }
  return { ok: true, usage: { exact, wildcards, byType } };
}
