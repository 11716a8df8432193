import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CrewError } from '../../errors.js';

// Checks a Terraform provider filesystem mirror (provider_installation.filesystem_mirror in
// the file TF_CLI_CONFIG_FILE points to) before an air-gapped init fails halfway.
// Unpacked layout: <mirror>/<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_v<version>…
// Packed layout:   <mirror>/<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip

const DEFAULT_HOST = 'registry.terraform.io';
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export function currentPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${os}_${arch}`;
}

/** `providers` are `namespace/type` or `host/namespace/type`, e.g. `hashicorp/aws`, `bpg/proxmox`. */
export function checkProviderMirror(
  dir: string,
  providers: string[],
  platform: string = currentPlatform(),
): { ok: boolean; problems: string[] } {
  if (!isDir(dir)) return { ok: false, problems: [`mirror directory ${dir} does not exist`] };
  const problems = providers.flatMap((p) => checkProvider(dir, p, platform));
  return { ok: problems.length === 0, problems };
}

function checkProvider(dir: string, provider: string, platform: string): string[] {
  const parts = provider.split('/');
  if (parts.length === 2) parts.unshift(DEFAULT_HOST);
  const [host, namespace, type] = parts;
  if (parts.length !== 3 || !host || !namespace || !type)
    return [`${provider}: expected namespace/type or host/namespace/type`];
  const base = join(dir, host, namespace, type);
  if (!isDir(base)) return [`${provider}: missing ${base}`];
  const entries = readdirSync(base);
  const packed = entries.filter((e) => e.startsWith(`terraform-provider-${type}_`) && e.endsWith(`_${platform}.zip`));
  const versions = entries.filter((e) => VERSION.test(e) && isDir(join(base, e)));
  if (packed.length === 0 && versions.length === 0)
    return [`${provider}: no versions under ${base} (expected <version>/${platform}/ or a packed .zip)`];
  const problems: string[] = [];
  let usable = packed.length;
  for (const version of versions) {
    const platformDir = join(base, version, platform);
    if (!isDir(platformDir)) {
      problems.push(`${provider} ${version}: missing ${platform}/ directory`);
      continue;
    }
    const binary = readdirSync(platformDir).find((f) => f.startsWith(`terraform-provider-${type}_v${version}`));
    if (!binary) {
      problems.push(`${provider} ${version}: no terraform-provider-${type}_v${version}* in ${platformDir}`);
    } else if (!isExecutable(join(platformDir, binary))) {
      problems.push(`${provider} ${version}: ${binary} is not executable`);
    } else {
      usable += 1;
    }
  }
  // A broken extra version is harmless when another one is complete.
  return usable > 0 ? [] : problems;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The providers a target's root config needs (sandbox: only built-in `terraform_data`). */
export function requiredProviders(target: string): string[] {
  if (target === 'aws') return ['hashicorp/aws'];
  if (target === 'proxmox') return ['bpg/proxmox'];
  return [];
}

/**
 * How an operator fills a filesystem mirror with `providers` (`namespace/type`), in words to act
 * on: the one wording of Forge's refusal and of `crew doctor`.
 */
export function howToMirror(providers: readonly string[], dir = '<dir>', platform: string = currentPlatform()): string {
  const list = providers.join(', ');
  return (
    `on a machine with registry access, in a directory holding a config that requires ${list}, run ` +
    `\`terraform providers mirror -platform=${platform} ${dir}\`, copy ${dir} to this machine and set CREW_TF_PLUGIN_MIRROR=${dir}`
  );
}

/**
 * Fails before `terraform init` when CREW_TF_PLUGIN_MIRROR lacks a provider the target needs,
 * saying which one and how to fill the mirror on a connected machine.
 */
export function requireProviderMirror(dir: string, target: string, platform: string = currentPlatform()): void {
  const providers = requiredProviders(target);
  if (providers.length === 0) return;
  const { ok, problems } = checkProviderMirror(dir, providers, platform);
  if (ok) return;
  const missing = providers.filter((p) => !checkProviderMirror(dir, [p], platform).ok);
  throw new CrewError(
    'CREW_ERR_CONFIG',
    `Terraform provider ${missing.join(', ')} is not available in the mirror CREW_TF_PLUGIN_MIRROR=${dir}, so the ${target} target cannot plan (${problems.join('; ')}). ` +
      `To fix: ${howToMirror(missing, dir, platform)}.`,
  );
}
