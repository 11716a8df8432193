/** Freezes an object and everything reachable from it, so no reader can change what others read. */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): Readonly<T> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  // Children first: a part frozen on its own (e.g. the AWS options) may still hold open objects.
  for (const child of Object.values(value)) deepFreeze(child, seen);
  return Object.freeze(value);
}
