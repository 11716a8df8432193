/** `{a: [{b: 1}]}` → `{'a[0].b': 1}`: leaf paths for comparing two plans value by value. */
export function flattenValues(value: unknown, path = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value)) value.forEach((v, i) => flattenValues(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flattenValues(v, path ? `${path}.${k}` : k, out);
  else out[path] = value;
  return out;
}

/** Leaf paths marked `true` (unknown) in an after_unknown tree; `true` at the root marks ''. */
export function unknownPaths(afterUnknown: unknown): string[] {
  if (afterUnknown === true) return [''];
  return Object.entries(flattenValues(afterUnknown))
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}
