import { checkArtifact } from '../../contracts/validate-artifact.js';
import type { Artifact } from '../../contracts/envelope.js';
import { errorMessage } from '../errors.js';

/** One stream entry as XREADGROUP / XCLAIM return it: id and a flat field list. */
export interface RawEntry {
  id: string;
  fields: string[] | null;
}

export type ParsedEntry =
  | { ok: true; id: string; raw: string; artifact: Artifact }
  | { ok: false; id: string; raw: string; reason: string; artifactId?: string; planId?: string };

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function stringProp(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** Turns an entry into a validated artifact or a reason it cannot be handled. */
export function parseEntry(entry: RawEntry): ParsedEntry {
  const fields = entry.fields ?? [];
  const raw = field(fields, 'artifact');
  const planField = field(fields, 'planId');
  if (raw === undefined) {
    return {
      ok: false,
      id: entry.id,
      raw: JSON.stringify(fields),
      reason: 'entry has no "artifact" field',
      planId: planField,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const reason = `artifact is not JSON: ${errorMessage(err)}`;
    return { ok: false, id: entry.id, raw, reason, planId: planField };
  }
  const checked = checkArtifact(value);
  if (!checked.ok) {
    return {
      ok: false,
      id: entry.id,
      raw,
      reason: checked.reason,
      artifactId: stringProp(value, 'id'),
      planId: stringProp(value, 'planId') ?? planField,
    };
  }
  return { ok: true, id: entry.id, raw, artifact: checked.value };
}

/** Reads the `[[id, [field, value, ...]], ...]` shape shared by XREADGROUP and XCLAIM. */
export function toRawEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  const out: RawEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const fields = Array.isArray(item[1]) ? (item[1] as unknown[]).map(String) : null;
    out.push({ id: item[0], fields });
  }
  return out;
}
