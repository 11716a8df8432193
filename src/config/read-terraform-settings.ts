import { isAbsolute, resolve } from 'node:path';
import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import { readAwsChainEnv } from './read-aws-chain-env.js';
import type { EnvSource } from './read-env-values.js';

export const TERRAFORM_BACKENDS = ['local', 's3', 'pg'] as const;

export type TerraformBackendName = (typeof TERRAFORM_BACKENDS)[number];

/** The s3 backend: one state object per stack, `<keyPrefix>/<stack>/terraform.tfstate`, locked by an S3 lock file. */
export interface S3BackendSettings {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, a stand-in): rendered with path-style addressing. */
  endpoint?: string;
  keyPrefix: string;
}

/** The pg backend: one schema per stack in this database. */
export interface PgBackendSettings {
  /** A secret (it may hold a password): reaches terraform only as PG_CONN_STR, never in a file. */
  connStr: string;
}

/** Where Terraform keeps state, where it finds providers, and what AWS credentials it gets. */
export interface TerraformSettings {
  /** CREW_TF_BACKEND: `local` keeps state in the stack's workspace under the data dir. */
  backend: TerraformBackendName;
  s3?: S3BackendSettings;
  pg?: PgBackendSettings;
  /** CREW_TF_PLUGIN_MIRROR: an absolute filesystem mirror directory; Forge writes its own CLI config for it. */
  pluginMirror?: string;
  /** TF_CLI_CONFIG_FILE of this process: honoured when no plugin mirror is set. */
  cliConfigFile?: string;
  /** CREW_AWS_VAULT_ROLE: Forge reads `aws/creds/<role>` from Vault for each plan and apply of the aws target. */
  awsVaultRole?: string;
  /** CREW_AWS_VAULT_MOUNT: where Vault's AWS secrets engine is mounted (default `aws`). */
  awsVaultMount: string;
  /**
   * The AWS chain variables terraform of the aws target inherits (read-aws-chain-env.ts); may
   * hold secrets: never log it.
   */
  awsChainEnv: Record<string, string>;
}

const ROLE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const MOUNT = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/;
const KEY_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,255}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function fail(message: string): never {
  throw new CrewError('CREW_ERR_CONFIG', message);
}

function readS3(env: EnvSource, crewRegion: string): S3BackendSettings {
  const bucket = env.CREW_TF_S3_BUCKET?.trim();
  if (!bucket) fail('CREW_TF_BACKEND=s3 needs CREW_TF_S3_BUCKET (the bucket that holds the state)');
  if (!BUCKET.test(bucket)) fail(`CREW_TF_S3_BUCKET=${bucket} is not an S3 bucket name`);
  const keyPrefix = (env.CREW_TF_S3_KEY_PREFIX ?? 'infracrew').trim().replace(/\/+$/, '');
  if (!KEY_PREFIX.test(keyPrefix) || keyPrefix.includes('..'))
    fail(`CREW_TF_S3_KEY_PREFIX=${keyPrefix} is not a key prefix (letters, digits, _ . - /)`);
  const endpoint = env.CREW_TF_S3_ENDPOINT?.trim();
  if (endpoint && !/^https?:\/\/[^\s"]+$/.test(endpoint)) fail(`CREW_TF_S3_ENDPOINT=${endpoint} is not an http(s) URL`);
  return {
    bucket,
    region: env.CREW_TF_S3_REGION?.trim() || crewRegion,
    keyPrefix,
    ...(endpoint ? { endpoint } : {}),
  };
}

function readPg(env: EnvSource, secrets: EnvSource): PgBackendSettings {
  const connStr = (secrets.CREW_TF_PG_CONN ?? env.CREW_TF_PG_CONN)?.trim();
  if (!connStr) fail('CREW_TF_BACKEND=pg needs CREW_TF_PG_CONN (a PostgreSQL connection string)');
  if (!/^postgres(?:ql)?:\/\//.test(connStr) && !/\b(?:host|dbname)=/.test(connStr))
    fail('CREW_TF_PG_CONN is not a PostgreSQL connection string (postgres://… or host=… dbname=…)');
  registerSecret(connStr);
  const password = /^postgres(?:ql)?:\/\/[^:/@]*:([^@]*)@/.exec(connStr)?.[1];
  registerSecret(password);
  return { connStr };
}

function readMirror(env: EnvSource, cwd: string): string | undefined {
  const raw = env.CREW_TF_PLUGIN_MIRROR?.trim();
  if (!raw) return undefined;
  if (raw.includes('"') || raw.includes('\\') || raw.includes('\n'))
    fail(`CREW_TF_PLUGIN_MIRROR=${raw} holds a quote, backslash or newline`);
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

/**
 * Terraform's settings, read once: the state backend (CREW_TF_BACKEND and its CREW_TF_S3_* /
 * CREW_TF_PG_CONN), the provider mirror (CREW_TF_PLUGIN_MIRROR) and the Vault role for AWS
 * credentials (CREW_AWS_VAULT_ROLE). The pg connection string may come from Vault (`secrets`).
 */
export function readTerraformSettings(
  env: EnvSource,
  crewRegion: string,
  cwd = process.cwd(),
  secrets: EnvSource = env,
): TerraformSettings {
  const backend = (env.CREW_TF_BACKEND?.trim() || 'local') as TerraformBackendName;
  if (!TERRAFORM_BACKENDS.includes(backend))
    fail(`CREW_TF_BACKEND=${backend} is not one of ${TERRAFORM_BACKENDS.join(', ')}`);
  const role = env.CREW_AWS_VAULT_ROLE?.trim();
  if (role && !ROLE.test(role)) fail(`CREW_AWS_VAULT_ROLE=${role} is not a Vault role name`);
  if (role && !env.VAULT_ADDR) fail('CREW_AWS_VAULT_ROLE needs Vault: set VAULT_ADDR (and VAULT_TOKEN or an AppRole)');
  const mount = (env.CREW_AWS_VAULT_MOUNT?.trim() || 'aws').replace(/^\/+|\/+$/g, '');
  if (!MOUNT.test(mount) || mount.includes('..')) fail(`CREW_AWS_VAULT_MOUNT=${mount} is not a Vault mount path`);
  const pluginMirror = readMirror(env, cwd);
  const cliConfigFile = env.TF_CLI_CONFIG_FILE?.trim();
  return {
    backend,
    ...(backend === 's3' ? { s3: readS3(env, crewRegion) } : {}),
    ...(backend === 'pg' ? { pg: readPg(env, secrets) } : {}),
    ...(pluginMirror ? { pluginMirror } : {}),
    ...(cliConfigFile ? { cliConfigFile } : {}),
    ...(role ? { awsVaultRole: role } : {}),
    awsVaultMount: mount,
    awsChainEnv: readAwsChainEnv(env, secrets),
  };
}
