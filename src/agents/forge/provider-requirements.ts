import { checkProviderMirror } from './check-provider-mirror.js';

// What an air-gapped Forge needs before `terraform init` can work, said in words an operator
// can act on: which provider is missing and how to put it into the filesystem mirror.

/** `provider` is `namespace/type` (e.g. `hashicorp/aws`, `bpg/proxmox`). */
export function missingProviderMessage(provider: string, mirrorDir: string, problems: string[] = []): string {
  const why = problems.length > 0 ? ` (${problems.join('; ')})` : '';
  return [
    `Terraform provider ${provider} is not available in the mirror ${mirrorDir}${why}.`,
    `On a machine with registry access, in a directory holding a config that requires ${provider}, run`,
    `  terraform providers mirror -platform=linux_amd64 ${mirrorDir}`,
    `copy ${mirrorDir} to this machine, and set CREW_TF_PLUGIN_MIRROR=${mirrorDir}.`,
  ].join('\n');
}

/** Undefined when every provider is mirrored, else the message for the first one missing. */
export function checkProviderRequirements(mirrorDir: string, providers: string[]): string | undefined {
  for (const provider of providers) {
    const check = checkProviderMirror(mirrorDir, [provider]);
    if (!check.ok) return missingProviderMessage(provider, mirrorDir, check.problems);
  }
  return undefined;
}
