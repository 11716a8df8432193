import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsSpotOllamaSpec } from '../../contracts/artifacts.js';
import { checkProviderMirror } from '../../src/agents/forge/check-provider-mirror.js';
import { readTerraformSettings, type TerraformSettings } from '../../src/config/read-terraform-settings.js';
import { awsSpec } from './forge-specs.js';

// Shared by the tests that run the real hashicorp/aws provider offline: the mirror it comes
// from, a spec on the aws target, and a private data dir.

export const AWS_MIRROR = process.env.INFRACREW_TF_MIRROR ?? '/opt/tf-plugins';

/** The mirror is required: a missing one fails the test with what to install, never skips it. */
export function requireAwsMirror(): string {
  const mirror = checkProviderMirror(AWS_MIRROR, ['hashicorp/aws']);
  if (!mirror.ok)
    throw new Error(
      `no usable AWS provider mirror at ${AWS_MIRROR} (set INFRACREW_TF_MIRROR, or run \`terraform providers mirror ${AWS_MIRROR}\` with hashicorp/aws 5.100.0 on a connected machine): ${mirror.problems.join('; ')}`,
    );
  return AWS_MIRROR;
}

export function awsTargetSpec(params: Partial<AwsSpotOllamaSpec['params']> = {}): AwsSpotOllamaSpec {
  return { ...awsSpec(params), target: 'aws' };
}

/** Terraform settings as readConfig would read them from `env` (the mirror is added). */
export function awsTerraformSettings(env: Record<string, string>): TerraformSettings {
  return readTerraformSettings({ CREW_TF_PLUGIN_MIRROR: AWS_MIRROR, ...env }, 'eu-west-1', '/');
}

export interface TempDataDir {
  dir: string;
  cleanup(): void;
}

export function createDataDir(prefix = 'crew-data-'): TempDataDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What an AWS SDK v3 client needs to talk to the local endpoint (its region and dummy keys). */
export function endpointClientConfig(aws: { url: string; region: string; env(): Record<string, string> }): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
} {
  const env = aws.env();
  return {
    endpoint: aws.url,
    region: aws.region,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 1,
  };
}
