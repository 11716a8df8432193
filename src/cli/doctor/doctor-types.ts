import type { AwsClientOptions } from '../../config/read-aws-settings.js';

/** One line of `crew doctor`: what was checked, how it went, and what to do about it. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do when the check did not pass. */
  fix?: string;
}

/** Where Terraform keeps state, as doctor sees it (no secret is ever printed). */
export type DoctorBackend =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; bucket: string; region: string; endpoint?: string }
  | { kind: 'pg'; connection: string };

/** What doctor knows of the proxmox target's settings (never the token itself). */
export interface DoctorProxmox {
  endpoint?: string;
  hasApiToken: boolean;
  ansiblePlaybookBin: string;
  sshKeyFile?: string;
}

export interface DoctorSettings {
  terraformBin: string;
  target: 'sandbox' | 'aws' | 'proxmox' | 'dns';
  /** Providers the target's root config needs, e.g. `hashicorp/aws`. */
  providers: readonly string[];
  /** CREW_TF_PLUGIN_MIRROR, when set. */
  pluginMirror?: string;
  /** TF_CLI_CONFIG_FILE as terraform will see it. */
  cliConfigFile?: string;
  backend: DoctorBackend;
  /** Checked only for the aws target (and the s3 backend). */
  aws: AwsClientOptions;
  /** Checked only for the proxmox target. */
  proxmox?: DoctorProxmox;
  /** What terraform inherits (PATH, HOME, TF_*): the same environment the crew gives it. */
  env: Record<string, string>;
}

export const ok = (name: string, detail: string): DoctorCheck => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string, fix?: string): DoctorCheck => ({
  name,
  status: 'warn',
  detail,
  ...(fix ? { fix } : {}),
});
export const fail = (name: string, detail: string, fix: string): DoctorCheck => ({
  name,
  status: 'fail',
  detail,
  fix,
});
