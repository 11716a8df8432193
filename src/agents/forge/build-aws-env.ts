import type { AwsCredentials } from '../../config/read-aws-settings.js';
import { registerSecret } from '../../log/redact-text.js';

// With dynamic credentials, the chain's other credential sources must not compete with them.
const OTHER_SOURCES = [
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * The AWS part of terraform's environment for the aws target: the chain variables as they are
 * (config.terraform.awsChainEnv), or, with credentials from Vault, those keys in their place.
 * Every secret value is registered for redaction before terraform runs.
 */
export function buildAwsEnv(
  chain: Readonly<Record<string, string>>,
  credentials?: AwsCredentials,
): Record<string, string> {
  const env: Record<string, string> = { ...chain };
  if (credentials) {
    for (const key of OTHER_SOURCES) delete env[key];
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  }
  registerSecret(env.AWS_SECRET_ACCESS_KEY);
  registerSecret(env.AWS_SESSION_TOKEN);
  registerSecret(env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  return env;
}
