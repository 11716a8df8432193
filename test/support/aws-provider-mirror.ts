import { checkProviderMirror } from '../../src/agents/forge/check-provider-mirror.js';

/**
 * The filesystem mirror holding the real hashicorp/aws provider (INFRACREW_TF_MIRROR, else
 * /opt/tf-plugins). A test that needs it fails, naming what to provide, when it is missing.
 */
export function requireAwsProviderMirror(): string {
  const dir = process.env.INFRACREW_TF_MIRROR ?? '/opt/tf-plugins';
  const check = checkProviderMirror(dir, ['hashicorp/aws']);
  if (!check.ok)
    throw new Error(
      `no hashicorp/aws provider in the filesystem mirror ${dir} (set INFRACREW_TF_MIRROR, or run ` +
        `\`terraform providers mirror -platform=linux_amd64 ${dir}\` on a machine with registry access): ${check.problems.join('; ')}`,
    );
  return dir;
}
