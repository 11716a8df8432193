import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CrewError } from '../../errors.js';

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

const DEFAULT_MAX_ATTEMPTS = 3;

function clientConfig(o: AwsClientOptions) {
  return {
    region: o.region,
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(o.credentials ? { credentials: { ...o.credentials } } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  };
}

export function createAutoScalingClient(o: AwsClientOptions): AutoScalingClient {
  return new AutoScalingClient(clientConfig(o));
}

export function createEc2Client(o: AwsClientOptions): EC2Client {
  return new EC2Client(clientConfig(o));
}

/**
 * FinPilot's AWS settings, read once. Credentials come from the SDK's default chain unless
 * CREW_AWS_ACCESS_KEY_ID/CREW_AWS_SECRET_ACCESS_KEY name a dedicated key for the crew.
 */
export function readAwsOptions(env: NodeJS.ProcessEnv = process.env, fallbackRegion = 'us-east-1'): Readonly<AwsClientOptions> {
  const region = env.CREW_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || fallbackRegion;
  const rawAttempts = env.CREW_AWS_MAX_ATTEMPTS;
  const maxAttempts = rawAttempts ? Number(rawAttempts) : DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new CrewError('CREW_ERR_CONFIG', `CREW_AWS_MAX_ATTEMPTS=${rawAttempts} is not a whole number between 1 and 20`);
  }
  const keyId = env.CREW_AWS_ACCESS_KEY_ID;
  const secret = env.CREW_AWS_SECRET_ACCESS_KEY;
  if (Boolean(keyId) !== Boolean(secret)) {
    throw new CrewError('CREW_ERR_CONFIG', 'set both CREW_AWS_ACCESS_KEY_ID and CREW_AWS_SECRET_ACCESS_KEY, or neither');
  }
  const options: AwsClientOptions = {
    region,
    maxAttempts,
    ...(keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(env.CREW_AWS_SESSION_TOKEN ? { sessionToken: env.CREW_AWS_SESSION_TOKEN } : {}) } } : {}),
    ...(env.CREW_AWS_ENDPOINT ? { endpoint: env.CREW_AWS_ENDPOINT } : {}),
  };
  return Object.freeze(options);
}

/** For logs: never the credentials, only whether they are explicit. */
export function describeAwsOptions(o: AwsClientOptions): string {
  return `region ${o.region}, ${o.credentials ? 'explicit credentials' : 'default credential chain'}, ${o.endpoint ? `endpoint ${o.endpoint}` : 'default endpoints'}, maxAttempts ${o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}`;
}
