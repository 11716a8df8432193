import { escapeTemplate } from './sandbox-expr.js';

/**
 * Every string of a value escaped against Terraform template interpolation (`${`, `%{`), keys
 * too: Terraform reads the keys of a JSON object expression as templates as well.
 */
export function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), escapeStrings(v)]));
  return value;
}
