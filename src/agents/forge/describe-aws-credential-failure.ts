// What the AWS provider (and the s3 backend) print when credentials are the problem, turned into
// one sentence for the person reading the plan's failure. Terraform wraps the SDK's error in
// box-drawing lines; only the code and AWS's own message are kept.

const REJECTED = [
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'AuthFailure',
  'RequestExpired',
];

const REJECTED_RE = new RegExp(`\\b(${REJECTED.join('|')})\\b[:,]?\\s*([^\\n│]*)`);
const MISSING_RE = /no valid credential sources|failed to refresh cached credentials|NoCredentialProviders/i;

export const NO_AWS_CREDENTIALS =
  'no AWS credentials found: set AWS_PROFILE (with AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE as needed), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (environment or Vault), or CREW_AWS_VAULT_ROLE for keys from Vault';

/** The credential problem in terraform's output, in words, or undefined when it is something else. */
export function describeAwsCredentialFailure(stderr: string): string | undefined {
  const rejected = REJECTED_RE.exec(stderr);
  if (rejected) {
    const said = (rejected[2] ?? '').trim().replace(/\s+/g, ' ').slice(0, 300);
    return `AWS rejected the credentials: ${rejected[1]}${said ? ` ${said}` : ''}`;
  }
  if (MISSING_RE.test(stderr)) return NO_AWS_CREDENTIALS;
  return undefined;
}
