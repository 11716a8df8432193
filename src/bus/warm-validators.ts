import * as compiledValidators from '../../contracts/compiled-validators.js';

let warmed = false;

/**
 * Runs each compiled artifact validator once on an empty object, which each refuses at its
 * first missing field. V8 compiles a function when it is first called, and these are large
 * (one per artifact type and spec variant), so a long-running process's first artifacts,
 * published and read, do not wait for that. Pure: nothing is read or written. Returns how
 * many validators ran.
 */
export function warmValidators(): number {
  warmed = true;
  let ran = 0;
  for (const validate of Object.values(compiledValidators)) {
    if (typeof validate !== 'function') continue;
    (validate as (data: unknown) => boolean)({});
    ran += 1;
  }
  return ran;
}

/** warmValidators unless this process ran it already; true when it ran now. */
export function warmValidatorsOnce(): boolean {
  if (warmed) return false;
  warmValidators();
  return true;
}
