import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DEFAULT_AWS_MAX_ATTEMPTS, type AwsClientOptions } from '../../config/read-aws-settings.js';

export type { AwsClientOptions, AwsCredentials } from '../../config/read-aws-settings.js';

function clientConfig(o: AwsClientOptions) {
  return {
    region: o.region,
    maxAttempts: o.maxAttempts ?? DEFAULT_AWS_MAX_ATTEMPTS,
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

/** For logs: never the credentials, only whether they are explicit. */
export function describeAwsOptions(o: AwsClientOptions): string {
  return `region ${o.region}, ${o.credentials ? 'explicit credentials' : 'default credential chain'}, ${o.endpoint ? `endpoint ${o.endpoint}` : 'default endpoints'}, maxAttempts ${o.maxAttempts ?? DEFAULT_AWS_MAX_ATTEMPTS}`;
}
