/**
 * Puts the process environment back to `saved` (a copy taken earlier) on the real
 * `process.env` object: test files share a worker process, and replacing the object itself
 * would leave a plain copy behind for every later file.
 */
export function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
}
