import { describe, expect, it } from 'vitest';
import {
  describeAwsCredentialFailure,
  NO_AWS_CREDENTIALS,
} from '../../../../src/agents/forge/describe-aws-credential-failure.js';
import { explainFailure } from '../../../../src/agents/forge/explain-failure.js';
import { SubprocessError } from '../../../../src/agents/forge/subprocess-error.js';

// Terraform's output as the AWS provider 5.x prints it (box-drawing lines and all).
const box = (line: string) =>
  `╷\n│ Error: configuring Terraform AWS Provider: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 4f1c, ${line}\n│\n│   with provider["registry.terraform.io/hashicorp/aws"],\n│   on main.tf.json line 1:\n╵\n`;

const failed = (stderr: string) =>
  new SubprocessError('terraform plan failed (exit 1)', {
    command: 'terraform plan',
    exitCode: 1,
    stderr,
    failureCode: 'CREW_ERR_TERRAFORM',
  });

describe('describeAwsCredentialFailure', () => {
  it.each([
    ['api error ExpiredToken: The security token included in the request is expired', 'ExpiredToken'],
    ['api error InvalidClientTokenId: The security token included in the request is invalid.', 'InvalidClientTokenId'],
    ['api error SignatureDoesNotMatch: The request signature we calculated does not match', 'SignatureDoesNotMatch'],
  ])('names what AWS said: %s', (line, code) => {
    const said = describeAwsCredentialFailure(box(line));
    expect(said).toBe(`AWS rejected the credentials: ${code} ${line.split(`${code}: `)[1]}`);
  });

  it.each([
    'Error: No valid credential sources found\n\nPlease see https://registry.terraform.io/providers/hashicorp/aws',
    'Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata',
  ])('says how to provide credentials when there are none: %s', (stderr) => {
    expect(describeAwsCredentialFailure(stderr)).toBe(NO_AWS_CREDENTIALS);
    expect(NO_AWS_CREDENTIALS).toMatch(/AWS_PROFILE.*AWS_ACCESS_KEY_ID.*CREW_AWS_VAULT_ROLE/);
  });

  it('leaves other failures alone', () => {
    expect(describeAwsCredentialFailure('Error: Invalid reference\n  on main.tf line 3')).toBeUndefined();
    expect(explainFailure(failed('Error: Invalid reference'))).toContain('Invalid reference');
  });

  it('leads the BuildStatus detail with the credential reason, however long the output', () => {
    const stderr = `${'noise line\n'.repeat(400)}${box('api error ExpiredToken: The security token included in the request is expired')}`;
    expect(explainFailure(failed(stderr))).toBe(
      'AWS rejected the credentials: ExpiredToken The security token included in the request is expired (terraform plan)',
    );
  });
});
