import type { PlanSpec } from '../../../contracts/index.js';
import type { AwsCredentials } from '../../config/read-aws-settings.js';
import type { TerraformSettings } from '../../config/read-terraform-settings.js';
import { CrewError } from '../../errors.js';
import { buildAwsEnv } from './build-aws-env.js';
import { requireProviderMirror } from './check-provider-mirror.js';
import { locateModule } from './locate-module.js';
import { renderAws } from './render-aws.js';
import { renderBackend } from './render-backend.js';
import { renderSandbox } from './render-sandbox.js';
import type { StackWorkspace } from './stack-workspace.js';
import { writeCliConfig } from './write-cli-config.js';

/** Where Terraform keeps state, finds providers and gets AWS credentials; absent: local state, no mirror. */
export interface TerraformTargetOptions {
  settings?: Readonly<TerraformSettings>;
  /** Dynamic credentials (Vault's AWS secrets engine), fetched for each command; absent: the AWS chain. */
  awsCredentials?: () => Promise<AwsCredentials>;
}

export interface RenderTargetOptions {
  planId?: string;
  holdDesiredCapacity?: boolean;
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
  else
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `blueprint ${spec.blueprint} has no Terraform rendering for the ${spec.target} target; use CREW_TARGET=sandbox${spec.blueprint === 'aws-spot-ollama' ? ' or aws' : ''}`,
    );
  return { ...files, ...renderBackend(settings, spec.stack).files };
}

const AWS_MODULE = 'aws-spot-ollama';

/**
 * Writes a stack's root config and the module it calls (a copy in the workspace: the plan file
 * then names `./modules/<name>`, which a Forge on another host can provide too).
 */
export async function writeTargetConfig(
  spec: PlanSpec,
  ws: StackWorkspace,
  settings: Readonly<TerraformSettings> | undefined,
  o: RenderTargetOptions = {},
): Promise<void> {
  const files = renderTargetConfig(spec, ws, settings, o);
  if (spec.target === 'aws') await ws.writeModule(AWS_MODULE, locateModule(AWS_MODULE));
  await ws.writeConfig(files);
}

/**
 * What terraform gets besides PATH, HOME and TF_*: Forge's CLI config for the provider mirror
 * (checked first), the backend's secrets, and the AWS chain (or Vault's keys) — the latter only
 * for the aws target, and for any target whose state lives in S3.
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
  return env;
}
