/**
 * The value a table or plan object holds under `key` itself. Keys come from plan JSON and
 * policy files ("__proto__", "constructor", "toString" are valid resource types to a parser):
 * `table[key]` would find Object.prototype's members instead of nothing.
 */
export function ownValue<T>(table: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return table != null && Object.hasOwn(table, key) ? table[key] : undefined;
}
