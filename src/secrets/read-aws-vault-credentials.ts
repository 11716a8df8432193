import type { AwsCredentials } from '../config/read-aws-settings.js';
import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import { describeVaultError, vaultStatus } from './describe-vault-error.js';
import type { VaultSession } from './open-vault-session.js';

interface CredsReply {
  data?: { access_key?: unknown; secret_key?: unknown; security_token?: unknown };
}

/**
 * Reads a fresh key pair from Vault's AWS secrets engine (`<mount>/creds/<role>`): an IAM user
 * key, or STS credentials with a session token for assumed-role and federation-token roles.
 * Every value is registered for masking before it is returned. An AppRole session whose token
 * expired logs in again once.
 */
export async function readAwsVaultCredentials(
  session: VaultSession,
  mount: string,
  role: string,
): Promise<AwsCredentials> {
  const path = `${mount}/creds/${role}`;
  let reply: CredsReply;
  try {
    reply = (await session.client.read(path)) as CredsReply;
  } catch (err) {
    if (vaultStatus(err) !== 403 || !session.relogin)
      throw describeVaultError(err, `reading AWS credentials at ${path} (CREW_AWS_VAULT_ROLE)`, session.addr);
    await session.relogin();
    return readAwsVaultCredentials({ ...session, relogin: undefined }, mount, role);
  }
  const d = reply.data ?? {};
  const accessKeyId = typeof d.access_key === 'string' ? d.access_key : '';
  const secretAccessKey = typeof d.secret_key === 'string' ? d.secret_key : '';
  const sessionToken = typeof d.security_token === 'string' && d.security_token ? d.security_token : undefined;
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  if (!accessKeyId || !secretAccessKey)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `Vault's ${path} returned no access_key/secret_key: is ${mount} an AWS secrets engine and ${role} one of its roles (CREW_AWS_VAULT_ROLE)?`,
    );
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
