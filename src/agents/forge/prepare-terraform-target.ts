import type { PlanSpec } from '../../../contracts/index.js';
import type { AwsCredentials } from '../../config/read-aws-settings.js';
import type { ProxmoxSettings } from '../../config/read-proxmox-settings.js';
import type { TerraformSettings } from '../../config/read-terraform-settings.js';
import { CrewError } from '../../errors.js';
import { buildAwsEnv } from './build-aws-env.js';
import { requireProviderMirror } from './check-provider-mirror.js';
import { locateModule, type ModuleName } from './locate-module.js';
import { renderAws } from './render-aws.js';
import { renderBackend } from './render-backend.js';
import { renderProxmox } from './render-proxmox.js';
import { renderSandbox } from './render-sandbox.js';
import type { RootConfig } from './root-config-artifact.js';
import type { StackWorkspace } from './stack-workspace.js';
import { writeCliConfig } from './write-cli-config.js';

/** Where Terraform keeps state, finds providers and gets AWS credentials; absent: local state, no mirror. */
export interface TerraformTargetOptions {
  settings?: Readonly<TerraformSettings>;
  /** Dynamic credentials (Vault's AWS secrets engine), fetched for each command; absent: the AWS chain. */
  awsCredentials?: () => Promise<AwsCredentials>;
  /** The proxmox target's API endpoint and token (for terraform's environment) and VM login user. */
  proxmox?: Readonly<ProxmoxSettings>;
}

export interface RenderTargetOptions {
  planId?: string;
  holdDesiredCapacity?: boolean;
  /** The proxmox target: the login user and public keys cloud-init puts on the VMs. */
  proxmox?: Pick<ProxmoxSettings, 'sshUser' | 'sshPublicKeys'>;
}

/** A stack's root config for its target, with its backend block. */
export function renderTargetConfig(
  spec: PlanSpec,
  ws: StackWorkspace,
  settings: Readonly<TerraformSettings> | undefined,
  o: RenderTargetOptions = {},
): Record<string, string> {
  const hold = { holdDesiredCapacity: o.holdDesiredCapacity ?? false };
  let files: Record<string, string>;
  if (spec.target === 'sandbox') files = renderSandbox(spec, hold).files;
  else if (spec.target === 'aws' && spec.blueprint === 'aws-spot-ollama')
    files = renderAws(spec, {
      moduleSource: `./modules/${AWS_MODULE}`,
      ...hold,
      ...(o.planId ? { planId: o.planId } : {}),
    }).files;
  else if (spec.target === 'proxmox' && spec.blueprint === 'proxmox-k3s')
    files = renderProxmox(spec, {
      moduleSource: `./modules/${PROXMOX_MODULE}`,
      ...(o.proxmox ? { sshUser: o.proxmox.sshUser, sshPublicKeys: o.proxmox.sshPublicKeys } : {}),
    }).files;
  else
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `blueprint ${spec.blueprint} has no Terraform rendering for the ${spec.target} target; use CREW_TARGET=sandbox or ${spec.blueprint === 'proxmox-k3s' ? 'proxmox' : 'aws'}`,
    );
  return { ...files, ...renderBackend(settings, spec.stack).files };
}

const AWS_MODULE: ModuleName = 'aws-spot-ollama';
const PROXMOX_MODULE: ModuleName = 'proxmox-k3s';

/** The module a target's root config calls, copied into the workspace; none for the sandbox. */
function moduleOf(spec: PlanSpec): ModuleName | undefined {
  if (spec.target === 'aws') return AWS_MODULE;
  if (spec.target === 'proxmox') return PROXMOX_MODULE;
  return undefined;
}

/**
 * Writes a stack's root config and the module it calls (a copy in the workspace: the plan file
 * then names `./modules/<name>`, which a Forge on another host can provide too). Returns the
 * root config's files, as written.
 */
export async function writeTargetConfig(
  spec: PlanSpec,
  ws: StackWorkspace,
  settings: Readonly<TerraformSettings> | undefined,
  o: RenderTargetOptions = {},
): Promise<RootConfig> {
  const files = renderTargetConfig(spec, ws, settings, o);
  const module = moduleOf(spec);
  if (module) await ws.writeModule(module, locateModule(module));
  await ws.writeConfig(files);
  return files;
}

/**
 * Writes a root config stored at plan time (and the module it calls) into the workspace, as it
 * is: no rendering here. Returns whether the workspace held another config (it needs `init`).
 */
export async function installRootConfig(spec: PlanSpec, ws: StackWorkspace, files: RootConfig): Promise<boolean> {
  const module = moduleOf(spec);
  if (module) await ws.writeModule(module, locateModule(module));
  const before = await ws.readConfig();
  const same =
    Object.keys(before).length === Object.keys(files).length &&
    Object.entries(files).every(([name, text]) => before[name] === text);
  if (same) return false;
  await ws.writeConfig(files);
  return true;
}

/**
 * What terraform gets besides PATH, HOME and TF_*: Forge's CLI config for the provider mirror
 * (checked first), the backend's secrets, the AWS chain (or Vault's keys) — only for the aws
 * target and for any target whose state lives in S3 — and the Proxmox API endpoint and token,
 * only for the proxmox target.
 */
export async function prepareTerraformEnv(
  spec: PlanSpec,
  ws: StackWorkspace,
  o: TerraformTargetOptions,
): Promise<Record<string, string>> {
  const settings = o.settings;
  const env: Record<string, string> = {};
  if (settings?.pluginMirror) {
    requireProviderMirror(settings.pluginMirror, spec.target);
    env.TF_CLI_CONFIG_FILE = await writeCliConfig(ws.dataDir, settings.pluginMirror);
  }
  Object.assign(env, renderBackend(settings, spec.stack).env);
  if (spec.target === 'aws' || settings?.backend === 's3') {
    const credentials = o.awsCredentials ? await o.awsCredentials() : undefined;
    Object.assign(env, buildAwsEnv(settings?.awsChainEnv ?? {}, credentials));
  }
  if (spec.target === 'proxmox') Object.assign(env, proxmoxEnv(o.proxmox));
  return env;
}

/**
 * bpg/proxmox's endpoint and token, from CREW_PROXMOX_ENDPOINT and PROXMOX_API_TOKEN. TLS is
 * always verified (PROXMOX_VE_INSECURE is never set: Sentinel's CREW_PROXMOX_TLS rule could not
 * see it); a private CA goes into the trust store.
 */
function proxmoxEnv(settings: Readonly<ProxmoxSettings> | undefined): Record<string, string> {
  const missing = [
    ...(settings?.endpoint ? [] : ['CREW_PROXMOX_ENDPOINT (the Proxmox VE API, e.g. https://pve.example.com:8006/)']),
    ...(settings?.apiToken ? [] : ['PROXMOX_API_TOKEN (user@realm!tokenid=secret, in Vault or the environment)']),
  ];
  if (!settings?.endpoint || !settings.apiToken)
    throw new CrewError('CREW_ERR_CONFIG', `the proxmox target needs ${missing.join(' and ')}`);
  return { PROXMOX_VE_ENDPOINT: settings.endpoint, PROXMOX_VE_API_TOKEN: settings.apiToken };
}
