import { ownValue } from '../util/own-value.js';

// Path lookups over plan values. Blocks arrive as lists (`metadata_options: [{…}]`), so a name
// segment applied to a list fans out over its elements, as checkov's attribute paths do.

export type Lookup =
  | { kind: 'value'; value: unknown; path: string }
  | { kind: 'unknown'; path: string }
  | { kind: 'absent'; path: string };

export type PathInput = string | readonly (string | number)[];

// Rules ask for the same few paths thousands of times in a large plan.
const parsedPaths = new Map<string, readonly (string | number)[]>();

export function splitPath(path: PathInput): readonly (string | number)[] {
  if (typeof path !== 'string') return path;
  let parsed = parsedPaths.get(path);
  if (!parsed) {
    parsed = parse(path);
    if (parsedPaths.size > 10_000) parsedPaths.clear();
    parsedPaths.set(path, parsed);
  }
  return parsed;
}

function parse(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function child(node: unknown, seg: string | number): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) return typeof seg === 'number' ? node[seg] : undefined;
  return ownValue(node as Record<string, unknown>, String(seg));
}

/**
 * All leaves reached by `path` in `values`, with `unknown` (an `after_unknown` tree) marking
 * values that are known only after apply.
 */
export function lookupAll(values: unknown, unknown: unknown, path: PathInput): Lookup[] {
  const out: Lookup[] = [];
  walk(values, unknown, splitPath(path), 0, '', out);
  return out;
}

function walk(v: unknown, u: unknown, segs: readonly (string | number)[], i: number, at: string, out: Lookup[]): void {
  if (u === true) {
    out.push({ kind: 'unknown', path: at });
    return;
  }
  if (i === segs.length) {
    out.push(v === undefined || v === null ? { kind: 'absent', path: at } : { kind: 'value', value: v, path: at });
    return;
  }
  const seg = segs[i] as string | number;
  if (Array.isArray(v) && typeof seg === 'string') {
    if (v.length === 0) {
      if (Array.isArray(u) || u === undefined || u === false) out.push({ kind: 'absent', path: at });
      return;
    }
    v.forEach((el, k) => walk(el, Array.isArray(u) ? u[k] : undefined, segs, i, `${at}[${k}]`, out));
    return;
  }
  const next = typeof seg === 'number' ? `${at}[${seg}]` : `${at}${at ? '.' : ''}${seg}`;
  if (v === null || v === undefined || typeof v !== 'object') {
    if (child(u, seg) === true) out.push({ kind: 'unknown', path: next });
    else out.push({ kind: 'absent', path: next });
    return;
  }
  walk(child(v, seg), child(u, seg), segs, i + 1, next, out);
}

/** The first leaf at `path`, or absent. Convenient for single-valued attributes. */
export function lookupOne(values: unknown, unknown: unknown, path: PathInput): Lookup {
  return lookupAll(values, unknown, path)[0] ?? { kind: 'absent', path: String(path) };
}

/** Launch templates send booleans as strings ("true"/"false"/""); "" means unset. */
export function toBool(value: unknown): boolean | null {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return null;
}

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A short, safe description of a value for messages: never prints long strings in full. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'unset';
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 57)}…"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
