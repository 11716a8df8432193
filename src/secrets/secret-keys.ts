/** The secrets infracrew reads; each is looked up in Vault first, then in the environment. */
export const SECRET_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'PROXMOX_API_TOKEN',
  'CREW_DNS_TSIG_SECRET',
  'CREW_TF_PG_CONN',
  'CREW_DATABASE_URL',
  'CREW_LINK_SECRET',
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

export type SecretSource = 'vault' | 'env';

/** Where Vault keeps them unless VAULT_SECRET_PATH says otherwise (KV v2 API path). */
export const DEFAULT_SECRET_PATH = 'secret/data/infracrew';
