import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClientOptions } from '../../config/read-aws-settings.js';
import { describeAwsError } from './describe-aws-error.js';
import { fail, ok, type DoctorCheck } from './doctor-types.js';

/** The credentials Terraform will get are accepted by AWS (STS GetCallerIdentity, which needs no permission). */
export async function checkAwsCredentials(aws: AwsClientOptions): Promise<DoctorCheck> {
  const name = 'aws credentials';
  const client = new STSClient({
    region: aws.region,
    maxAttempts: 1,
    ...(aws.credentials ? { credentials: { ...aws.credentials } } : {}),
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
  });
  try {
    const who = await client.send(new GetCallerIdentityCommand({}));
    return ok(name, `accepted: ${who.Arn ?? 'unknown identity'} (account ${who.Account ?? '?'}) in ${aws.region}`);
  } catch (err) {
    const why = describeAwsError(err);
    return fail(
      name,
      why.startsWith('no AWS credentials') ? why : `AWS rejected the credentials: ${why}`,
      'set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity (IRSA) or an instance role; or read keys from Vault',
    );
  } finally {
    client.destroy();
  }
}
