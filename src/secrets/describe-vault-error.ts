import { CrewError } from '../errors.js';

interface VaultLikeError {
  message?: string;
  code?: string;
  response?: { statusCode?: number; body?: unknown };
}

/** The status code of a node-vault ApiResponseError, if it is one. */
export function vaultStatus(err: unknown): number | undefined {
  const status = (err as VaultLikeError | undefined)?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Turns what node-vault throws into an error that says what to fix. Vault's own messages
 * never contain the token, but the request config axios attaches can: only the message
 * and status are kept, the original error is not chained as the cause.
 */
export function describeVaultError(err: unknown, action: string, addr: string): CrewError {
  if (err instanceof CrewError) return err;
  const e = (err ?? {}) as VaultLikeError;
  const status = vaultStatus(err);
  const said = typeof e.message === 'string' && e.message !== '' ? e.message : 'no message';
  if (status === 403) {
    return new CrewError('CREW_ERR_CONFIG', `Vault denied ${action}: check the policy of the token/role (${said})`);
  }
  if (status === 404) {
    return new CrewError(
      'CREW_ERR_CONFIG',
      `Vault found nothing when ${action} (404): check VAULT_SECRET_PATH and that the KV v2 engine is mounted there`,
    );
  }
  if (status !== undefined) return new CrewError('CREW_ERR_CONFIG', `Vault refused ${action} (${status}: ${said})`);
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  return new CrewError(
    'CREW_ERR_CONFIG',
    `Vault at ${addr} unreachable while ${action}${code}: check VAULT_ADDR and the network path`,
  );
}
