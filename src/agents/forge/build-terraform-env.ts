import type { EnvSource } from '../../config/read-env-values.js';

// Terraform gets only what it needs: never the whole process environment, which holds the
// bot's own secrets (Slack tokens, Vault token, ...). `source` is what the crew lets child
// processes inherit (config.inheritedEnv).
export function buildTerraformEnv(extra: Record<string, string>, source: EnvSource): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (key === 'PATH' || key === 'HOME' || key.startsWith('TF_')) env[key] = value;
  }
  return { ...env, ...extra, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}
