import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AwsSpotOllamaSpec } from '../../contracts/index.js';
import { DEFAULT_REGION } from '../../src/agents/forge/aws-sandbox-context.js';
import { renderAws } from '../../src/agents/forge/render-aws.js';
import { TerraformRunner } from '../../src/agents/forge/terraform-runner.js';
import { planOfModule } from './plan-of-module.js';

// Plans aws-spot-ollama stacks with the real hashicorp/aws provider, offline: a filesystem
// mirror, fake credentials the provider never checks, and fixed availability zones (the
// module's `availability_zones` variable) so no AWS API is called. Many stacks are planned as
// sibling module calls of one root, each with its own provider configuration (an alias holding
// the region and default tags renderAws gives it): the provider's start-up, ~3 s per command,
// is paid once per root. The plan is then split back into one plan per stack.

type Json = Record<string, unknown>;

export interface OfflinePlanOptions {
  mirrorDir: string;
  /** Shared by every root, so init links the provider instead of copying ~700 MB. */
  pluginCacheDir: string;
  workDir: string;
  timeoutMs?: number;
}

/** A stack's own plan, or the module's refusal (a failed variable validation) of its inputs. */
export type OfflinePlanResult = { ok: true; plan: Json } | { ok: false; error: string };

const OFFLINE_PROVIDER = {
  access_key: 'offline',
  secret_key: 'offline',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

let initQueue: Promise<unknown> = Promise.resolve();

/** Plans `stacks` (module call name → spec) in one root: module call → its own plan or refusal. */
export async function planAwsOffline(
  rootName: string,
  stacks: Map<string, AwsSpotOllamaSpec>,
  options: OfflinePlanOptions,
): Promise<Map<string, OfflinePlanResult>> {
  const dir = join(options.workDir, rootName);
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, 'mirror.tfrc');
  writeFileSync(
    rc,
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(options.mirrorDir)}\n  }\n}\n` +
      `plugin_cache_dir = ${JSON.stringify(options.pluginCacheDir)}\n`,
  );
  const env = { TF_CLI_CONFIG_FILE: rc };
  const tf = new TerraformRunner({ inheritEnv: process.env, env, timeoutMs: options.timeoutMs ?? 120_000 });
  let root = writeRoot(dir, stacks);
  // One init at a time: Terraform's plugin cache is not safe for concurrent writers.
  const init = initQueue.then(() => tf.init(dir));
  initQueue = init.catch(() => undefined);
  await init;

  const results = new Map<string, OfflinePlanResult>();
  try {
    await tf.plan(dir, { out: 'p.tfplan' });
  } catch (err) {
    // `validate` runs the module's variable validations without planning: refused stacks leave
    // the root, so one bad stack does not sink the plan of its siblings. Only asked when the
    // plan failed: each command pays the provider's start-up.
    const refusals = await findRefusals(dir, env, root.callLines);
    if (refusals.size === 0) throw err;
    for (const [call, error] of refusals) results.set(call, { ok: false, error });
    const planned = new Map([...stacks].filter(([call]) => !results.has(call)));
    if (planned.size === 0) return results;
    root = writeRoot(dir, planned);
    await tf.plan(dir, { out: 'p.tfplan' });
  }
  const plan = (await tf.showJson(dir, 'p.tfplan')) as Json;
  for (const [call, alias] of root.aliasOf) results.set(call, { ok: true, plan: planOfModule(plan, call, alias) });
  return results;
}

/** Writes main.tf.json; returns each call's provider alias and first line in the file. */
function writeRoot(
  dir: string,
  stacks: Map<string, AwsSpotOllamaSpec>,
): { aliasOf: Map<string, string>; callLines: Array<[number, string]> } {
  let terraform: unknown;
  const aliases = new Map<string, string>(); // provider block JSON → alias
  const providers: Json[] = [];
  const modules: Json = {};
  const aliasOf = new Map<string, string>();
  for (const [call, spec] of stacks) {
    const rendered = JSON.parse(renderAws(spec, { rootDir: dir }).files['main.tf.json'] ?? '{}') as Json;
    terraform ??= rendered.terraform;
    const provider = (rendered.provider as Json).aws as Json;
    const key = JSON.stringify(provider);
    const alias = aliases.get(key) ?? `p${aliases.size}`;
    if (!aliases.has(key)) providers.push({ ...provider, ...OFFLINE_PROVIDER, alias });
    aliases.set(key, alias);
    aliasOf.set(call, alias);
    // The same zones the sandbox gives subnet i (`<region>a`, `<region>b`, …).
    const zones = [...'abcdef'].map((z) => `${spec.region ?? DEFAULT_REGION}${z}`);
    const args = (rendered.module as Json).ollama as Json;
    modules[call] = { ...args, availability_zones: zones, providers: { aws: `aws.${alias}` } };
  }
  const text = JSON.stringify({ terraform, provider: { aws: providers }, module: modules }, null, 1);
  writeFileSync(join(dir, 'main.tf.json'), text);
  const callLines: Array<[number, string]> = [];
  text.split('\n').forEach((line, i) => {
    const call = /^ {2}"(v\d+)": \{$/.exec(line)?.[1];
    if (call && stacks.has(call)) callLines.push([i + 1, call]);
  });
  return { aliasOf, callLines };
}

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number } };
}

/** Module calls whose inputs the module refuses, with Terraform's message. */
async function findRefusals(
  dir: string,
  env: Record<string, string>,
  callLines: Array<[number, string]>,
): Promise<Map<string, string>> {
  const run = promisify(execFile);
  const fullEnv = { ...process.env, ...env, CHECKPOINT_DISABLE: '1' };
  const out = await run('terraform', ['validate', '-json', '-no-color'], { cwd: dir, env: fullEnv }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  );
  const diagnostics = (JSON.parse(out.stdout || '{}') as { diagnostics?: Diagnostic[] }).diagnostics ?? [];
  const refusals = new Map<string, string>();
  for (const d of diagnostics.filter((x) => x.severity === 'error')) {
    const line = d.range?.filename === 'main.tf.json' ? d.range.start.line : undefined;
    const call = line === undefined ? undefined : callLines.filter(([start]) => start <= line).at(-1)?.[1];
    if (!call) throw new Error(`terraform validate failed outside a stack: ${d.summary}: ${d.detail ?? ''}`);
    refusals.set(call, `${d.summary}: ${d.detail ?? ''}`);
  }
  return refusals;
}
