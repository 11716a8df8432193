import { isRecord } from './sandbox-address.js';

// Paths into the attribute values Terraform reports (nested blocks are lists of objects).

/** `module.ollama.aws_autoscaling_group.ollama[0]` → `aws_autoscaling_group`. */
export function resourceType(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  return parts.at(-2) ?? '';
}

/** `x[0].key[0]…`: undefined as soon as a step is missing. */
export function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const k of path) {
    if (typeof k === 'number') v = Array.isArray(v) ? v[k] : undefined;
    else v = isRecord(v) ? v[k] : undefined;
  }
  return v;
}

/** A copy of `value` with the leaves at `paths` blanked: what is left must not have drifted. */
export function without(value: unknown, paths: ReadonlyArray<ReadonlyArray<string | number>>): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  for (const path of paths) {
    const parent = at(copy, path.slice(0, -1));
    const last = path.at(-1)!;
    if (Array.isArray(parent) && typeof last === 'number') parent[last] = null;
    else if (isRecord(parent) && typeof last === 'string') parent[last] = null;
  }
  return copy;
}
