import type { AwsCredentials } from '../config/read-aws-settings.js';
import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import { readAwsVaultCredentials } from './read-aws-vault-credentials.js';
import type { VaultSession } from './open-vault-session.js';
import { DEFAULT_SECRET_PATH, SECRET_KEYS, type SecretKey, type SecretSource } from './secret-keys.js';
import { startTokenRenewal, type RenewalHandle, type RenewalOptions } from './start-token-renewal.js';

export interface ReadSecretsOptions {
  /** Only `info` with key names and sources is ever logged; never a value. */
  logger?: { info(obj: Record<string, unknown>, msg: string): void };
  /** Vault request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface Secrets {
  /** Frozen: each key read, from Vault or the environment; absent when neither has it. */
  readonly values: Readonly<Partial<Record<SecretKey, string>>>;
  /** Frozen: where each present key came from. Safe to log. */
  readonly sources: Readonly<Partial<Record<SecretKey, SecretSource>>>;
  /** The KV path read, when Vault was used. */
  readonly vaultPath?: string;
  /**
   * Fresh AWS credentials from Vault's AWS secrets engine (`<mount>/creds/<role>`); fails
   * without Vault (VAULT_ADDR unset).
   */
  readAwsCredentials(mount: string, role: string): Promise<AwsCredentials>;
  /** Keeps the Vault token alive; a handle that does nothing when Vault is not used. */
  startRenewal(options?: RenewalOptions): RenewalHandle;
}

const NO_RENEWAL: RenewalHandle = Object.freeze({ stop: () => undefined });

/**
 * Reads infracrew's secrets once at start. With VAULT_ADDR set it logs in (VAULT_TOKEN, or
 * AppRole with VAULT_ROLE_ID + VAULT_SECRET_ID) and reads the KV v2 document at
 * VAULT_SECRET_PATH; any key the document lacks, and every key without VAULT_ADDR, comes
 * from the environment. Every value is registered for masking in logs and messages.
 */
export async function readSecrets(
  env: NodeJS.ProcessEnv = process.env,
  options: ReadSecretsOptions = {},
): Promise<Secrets> {
  let session: VaultSession | undefined;
  let fromVault: Record<string, string> = {};
  const vaultPath = env.VAULT_ADDR ? env.VAULT_SECRET_PATH || DEFAULT_SECRET_PATH : undefined;
  if (vaultPath) {
    // The Vault client loads only when Vault is used.
    const [{ openVaultSession }, { readVaultSecret }] = await Promise.all([
      import('./open-vault-session.js'),
      import('./read-vault-secret.js'),
    ]);
    session = await openVaultSession(env, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
    fromVault = await readVaultSecret(session, vaultPath);
  }
  const values: Partial<Record<SecretKey, string>> = {};
  const sources: Partial<Record<SecretKey, SecretSource>> = {};
  for (const key of SECRET_KEYS) {
    const vaultValue = fromVault[key];
    const envValue = env[key];
    if (vaultValue !== undefined && vaultValue !== '') {
      values[key] = vaultValue;
      sources[key] = 'vault';
    } else if (envValue !== undefined && envValue !== '') {
      registerSecret(envValue);
      values[key] = envValue;
      sources[key] = 'env';
    }
  }
  Object.freeze(values);
  Object.freeze(sources);
  options.logger?.info({ secretSources: sources, ...(vaultPath ? { vaultPath } : {}) }, 'secrets read');
  const vault = session;
  return Object.freeze({
    values,
    sources,
    ...(vaultPath ? { vaultPath } : {}),
    readAwsCredentials: (mount: string, role: string) =>
      vault
        ? readAwsVaultCredentials(vault, mount, role)
        : Promise.reject(
            new CrewError('CREW_ERR_CONFIG', 'CREW_AWS_VAULT_ROLE needs Vault: set VAULT_ADDR and a way to log in'),
          ),
    startRenewal: (renewal: RenewalOptions = {}) => (vault ? startTokenRenewal(vault, renewal) : NO_RENEWAL),
  });
}
