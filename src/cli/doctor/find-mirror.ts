import { readFileSync } from 'node:fs';

/** Where providers come from: CREW_TF_PLUGIN_MIRROR, else a filesystem_mirror in the CLI config. */
export type MirrorSource =
  | { kind: 'mirror'; dir: string; setting: 'CREW_TF_PLUGIN_MIRROR' | 'TF_CLI_CONFIG_FILE' }
  | { kind: 'registry' }
  | { kind: 'unreadable'; file: string; reason: string };

/** The `path` of a `filesystem_mirror` block in a Terraform CLI config (HCL, read, never evaluated). */
export function readMirrorPath(hcl: string): string | undefined {
  const block = /filesystem_mirror\s*\{([^}]*)\}/.exec(hcl);
  const path = block?.[1] ? /\bpath\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(block[1]) : null;
  return path?.[1]?.replace(/\\(.)/g, '$1');
}

export function findMirror(pluginMirror: string | undefined, cliConfigFile: string | undefined): MirrorSource {
  if (pluginMirror) return { kind: 'mirror', dir: pluginMirror, setting: 'CREW_TF_PLUGIN_MIRROR' };
  if (!cliConfigFile) return { kind: 'registry' };
  let text: string;
  try {
    text = readFileSync(cliConfigFile, 'utf8');
  } catch (err) {
    return { kind: 'unreadable', file: cliConfigFile, reason: (err as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  const dir = readMirrorPath(text);
  return dir ? { kind: 'mirror', dir, setting: 'TF_CLI_CONFIG_FILE' } : { kind: 'registry' };
}
