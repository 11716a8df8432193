import { CrewError } from '../errors.js';
import { deepFreeze } from './deep-freeze.js';
import type { EnvSource } from './read-env-values.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsClientOptions {
  region: string;
  /** Absent: the SDK's default chain (env, shared files, SSO, instance metadata). */
  credentials?: AwsCredentials;
  /**
   * Absent: the SDK's own resolution, which honours AWS_ENDPOINT_URL_AUTO_SCALING,
   * AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL.
   */
  endpoint?: string;
  /** Attempts per call including the first; the SDK retries throttling with backoff. */
  maxAttempts?: number;
}

/** FinPilot's AWS settings: client options, and whether any credentials are configured at all. */
export interface AwsSettings {
  client: AwsClientOptions;
  /** A key or profile is set: scheduled Spot price refreshes run only then. */
  hasCredentials: boolean;
}

export const DEFAULT_AWS_MAX_ATTEMPTS = 3;

/** AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY read from Vault, which the SDK's chain cannot see. */
function keyFromSecrets(env: EnvSource, secrets: EnvSource): AwsCredentials | undefined {
  const accessKeyId = secrets.AWS_ACCESS_KEY_ID;
  const secretAccessKey = secrets.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  // The same key in the environment: the default chain finds it there, as it always has.
  if (accessKeyId === env.AWS_ACCESS_KEY_ID && secretAccessKey === env.AWS_SECRET_ACCESS_KEY) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/**
 * FinPilot's AWS client options, read once. Credentials come from the SDK's default chain unless
 * CREW_AWS_ACCESS_KEY_ID/CREW_AWS_SECRET_ACCESS_KEY name a dedicated key for the crew, or the
 * standard key pair came from Vault (`secrets`).
 */
export function readAwsOptions(
  env: EnvSource,
  fallbackRegion = 'us-east-1',
  secrets: EnvSource = env,
): Readonly<AwsClientOptions> {
  const region = env.CREW_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || fallbackRegion;
  const rawAttempts = env.CREW_AWS_MAX_ATTEMPTS;
  const maxAttempts = rawAttempts ? Number(rawAttempts) : DEFAULT_AWS_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `CREW_AWS_MAX_ATTEMPTS=${rawAttempts} is not a whole number between 1 and 20`,
    );
  }
  const keyId = env.CREW_AWS_ACCESS_KEY_ID;
  const secret = env.CREW_AWS_SECRET_ACCESS_KEY;
  if (Boolean(keyId) !== Boolean(secret)) {
    throw new CrewError(
      'CREW_ERR_CONFIG',
      'set both CREW_AWS_ACCESS_KEY_ID and CREW_AWS_SECRET_ACCESS_KEY, or neither',
    );
  }
  const dedicated =
    keyId && secret
      ? {
          accessKeyId: keyId,
          secretAccessKey: secret,
          ...(env.CREW_AWS_SESSION_TOKEN ? { sessionToken: env.CREW_AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const credentials = dedicated ?? keyFromSecrets(env, secrets);
  const options: AwsClientOptions = {
    region,
    maxAttempts,
    ...(credentials ? { credentials } : {}),
    ...(env.CREW_AWS_ENDPOINT ? { endpoint: env.CREW_AWS_ENDPOINT } : {}),
  };
  return deepFreeze(options);
}

/** The AWS part of the crew's configuration. */
export function readAwsSettings(env: EnvSource, fallbackRegion: string, secrets: EnvSource = env): AwsSettings {
  return {
    client: readAwsOptions(env, fallbackRegion, secrets),
    hasCredentials: Boolean(
      secrets.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY_ID || env.CREW_AWS_ACCESS_KEY_ID || env.AWS_PROFILE,
    ),
  };
}
