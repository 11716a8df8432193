import type { EnvSource } from './read-env-values.js';

/** CREW_USAGE_FILE: an Infracost usage file (infracost-usage.yml) Sentinel prices usage-based components from. */
export function readUsageFileSetting(env: EnvSource): string | undefined {
  return env.CREW_USAGE_FILE?.trim() || undefined;
}
