import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Terraform CLI config that installs every provider from one filesystem mirror and nothing from the network. */
export function renderCliConfig(mirrorDir: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    '    include = ["registry.terraform.io/*/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Writes Forge's own CLI config for CREW_TF_PLUGIN_MIRROR under the data dir and returns its
 * path (terraform's TF_CLI_CONFIG_FILE). Written to a temporary name and renamed, so a
 * terraform started by another stack's plan never reads half a file.
 */
export async function writeCliConfig(dataDir: string, mirrorDir: string): Promise<string> {
  const dir = join(dataDir, 'terraform');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'provider-mirror.tfrc');
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, renderCliConfig(mirrorDir));
  await rename(tmp, path);
  return path;
}
