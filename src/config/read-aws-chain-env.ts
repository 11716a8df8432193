import type { EnvSource } from './read-env-values.js';

// The variables of the AWS SDK's standard credential and endpoint chain that terraform of the
// aws target inherits untouched: static keys, profiles and their files, web identity and role
// assumption, container and instance-metadata credentials, endpoint overrides, CA bundle, retry
// and regional-endpoint settings. Nothing else of the process's AWS_* (and no proxy settings).
const AWS_CHAIN =
  /^AWS_(?:ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|REGION|DEFAULT_REGION|CONFIG_FILE|SHARED_CREDENTIALS_FILE|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|ROLE_SESSION_NAME|CONTAINER_CREDENTIALS_(?:RELATIVE|FULL)_URI|CONTAINER_AUTHORIZATION_TOKEN(?:_FILE)?|ENDPOINT_URL(?:_[A-Z0-9_]+)?|IGNORE_CONFIGURED_ENDPOINT_URLS|CA_BUNDLE|EC2_METADATA_[A-Z0-9_]+|STS_REGIONAL_ENDPOINTS|USE_FIPS_ENDPOINT|USE_DUALSTACK_ENDPOINT|MAX_ATTEMPTS|RETRY_MODE)$/;

/** Whether terraform of the aws target inherits this variable. */
export function isAwsChainVariable(name: string): boolean {
  return AWS_CHAIN.test(name);
}

/**
 * What terraform of the aws target gets of the AWS chain. A key pair read from Vault (`secrets`)
 * replaces the environment's pair, and the environment's session token with it (it belonged to
 * the other key).
 */
export function readAwsChainEnv(env: EnvSource, secrets: EnvSource = env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value && isAwsChainVariable(key)) out[key] = value;
  const keyId = secrets.AWS_ACCESS_KEY_ID;
  const secret = secrets.AWS_SECRET_ACCESS_KEY;
  if (keyId && secret && (keyId !== env.AWS_ACCESS_KEY_ID || secret !== env.AWS_SECRET_ACCESS_KEY)) {
    out.AWS_ACCESS_KEY_ID = keyId;
    out.AWS_SECRET_ACCESS_KEY = secret;
    delete out.AWS_SESSION_TOKEN;
  }
  return out;
}
