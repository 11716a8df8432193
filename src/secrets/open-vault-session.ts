import { readFileSync } from 'node:fs';
import nodeVault from 'node-vault';
import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import { describeVaultError } from './describe-vault-error.js';

type VaultClient = ReturnType<typeof nodeVault>;

/** A logged-in Vault client and what is known about its token's lease. */
export interface VaultSession {
  client: VaultClient;
  addr: string;
  /** Seconds the token lives from login or last renewal; undefined until looked up, 0 = never expires. */
  leaseSeconds: number | undefined;
  renewable: boolean;
  /** Logs in again with AppRole; absent for token auth. Resolves to the new lease. */
  relogin?: () => Promise<number>;
}

export interface VaultSessionOptions {
  /** Per-request timeout so a dead Vault fails the start instead of hanging it. */
  timeoutMs?: number;
}

interface AuthReply {
  auth?: { client_token?: string; lease_duration?: number; renewable?: boolean };
}

/**
 * Builds the node-vault client from `env` only. node-vault falls back to process.env for
 * the token, namespace and path prefix; those are overwritten so a test's env (or a
 * caller's) is the whole truth.
 */
export async function openVaultSession(
  env: NodeJS.ProcessEnv,
  options: VaultSessionOptions = {},
): Promise<VaultSession> {
  const addr = env.VAULT_ADDR ?? '';
  const ca = env.VAULT_CACERT ? readFileSync(env.VAULT_CACERT) : undefined;
  const client = nodeVault({
    endpoint: addr,
    requestOptions: { timeout: options.timeoutMs ?? 10_000, ...(ca ? { ca } : {}) },
  });
  const mutable = client as VaultClient & { namespace?: string; pathPrefix?: string };
  mutable.token = '';
  mutable.namespace = env.VAULT_NAMESPACE ?? '';
  mutable.pathPrefix = '';

  const roleId = env.VAULT_ROLE_ID;
  const secretId = env.VAULT_SECRET_ID;
  if (roleId && secretId) {
    registerSecret(secretId);
    const session: VaultSession = { client, addr, leaseSeconds: undefined, renewable: false };
    session.relogin = async () => {
      let reply: AuthReply;
      try {
        reply = (await client.approleLogin({ role_id: roleId, secret_id: secretId })) as AuthReply;
      } catch (err) {
        throw describeVaultError(err, 'logging in with AppRole (VAULT_ROLE_ID, VAULT_SECRET_ID)', addr);
      }
      // node-vault has already switched to the new token; it must never be printed.
      registerSecret(reply.auth?.client_token);
      session.leaseSeconds = Number(reply.auth?.lease_duration ?? 0);
      session.renewable = reply.auth?.renewable === true;
      return session.leaseSeconds;
    };
    await session.relogin();
    return session;
  }
  if (env.VAULT_TOKEN) {
    registerSecret(env.VAULT_TOKEN);
    client.token = env.VAULT_TOKEN;
    return { client, addr, leaseSeconds: undefined, renewable: true };
  }
  throw new CrewError(
    'CREW_ERR_CONFIG',
    'VAULT_ADDR is set but there is no way to log in: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole',
  );
}
