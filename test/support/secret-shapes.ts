import { randomBytes } from 'node:crypto';

// Synthetic secrets in the shapes people paste by mistake: each one random per run, so a
// match can only come from the text under test. Built from parts so no literal token sits here.
const alnum = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(n), (b) => abc[b % abc.length]).join('');
};
const upper = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const pemBody = () => `MII${alnum(60)}\n${alnum(64)}\n${alnum(20)}==`;

export interface SecretShape {
  label: string;
  /** How it appears in a goal. */
  text: string;
  /** The part that must not survive (the whole text unless a label precedes the value). */
  secret: string;
}

function shape(label: string, text: string, secret = text): SecretShape {
  return { label, text, secret };
}

export function secretShapes(): SecretShape[] {
  const awsSecret = `${alnum(20)}/${alnum(9)}+${alnum(9)}`;
  const apiKey1 = `sk-live-${alnum(24)}`;
  const apiKey2 = alnum(32);
  const apiKey3 = `${alnum(10)}9${alnum(11)}`;
  const bearer = `${alnum(20)}.${alnum(30)}.${alnum(20)}`;
  const rsa = pemBody();
  const openssh = pemBody();
  const cert = pemBody();
  const ec = pemBody();
  return [
    shape('GitHub classic token (ghp_)', `ghp_${alnum(36)}`),
    shape('GitHub OAuth token (gho_)', `gho_${alnum(36)}`),
    shape('GitHub server token (ghs_)', `ghs_${alnum(36)}`),
    shape('GitHub user token (ghu_)', `ghu_${alnum(36)}`),
    shape('GitHub fine-grained token (github_pat_)', `github_pat_${alnum(22)}_${alnum(59)}`),
    shape('Slack bot token (xoxb-)', `xoxb-${Date.now()}-${alnum(13)}-${alnum(24)}`),
    shape('Slack user token (xoxp-)', `xoxp-${Date.now()}-${alnum(12)}-${alnum(32)}`),
    shape('Slack app token (xoxa-)', `xoxa-2-${alnum(30)}`),
    shape('AWS access key id (AKIA)', `AKIA${upper(16)}`),
    shape('AWS temporary key id (ASIA)', `ASIA${upper(16)}`),
    shape('AWS secret access key after aws_secret_access_key', `aws_secret_access_key = ${awsSecret}`, awsSecret),
    shape('api_key=', `api_key=${apiKey1}`, apiKey1),
    shape('apikey:', `apikey: ${apiKey2}`, apiKey2),
    shape('api-key followed by the key', `api-key ${apiKey3}`, apiKey3),
    shape('bearer token', `Authorization: Bearer ${bearer}`, bearer),
    shape('RSA private key', `-----BEGIN RSA PRIVATE KEY-----\n${rsa}\n-----END RSA PRIVATE KEY-----`, rsa),
    shape(
      'OpenSSH private key',
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${openssh}\n-----END OPENSSH PRIVATE KEY-----`,
      openssh,
    ),
    shape('certificate', `-----BEGIN CERTIFICATE-----\n${cert}\n-----END CERTIFICATE-----`, cert),
    shape('PEM block cut off before its END line', `-----BEGIN EC PRIVATE KEY-----\n${ec}`, ec),
  ];
}

/** Words of a goal no redaction may touch. */
export const HARMLESS = [
  '10.42.0.0/16',
  '192.168.1.0/24',
  'g4dn.xlarge',
  'g5.2xlarge',
  'p-7fk2q9xa',
  'ollama-dev',
  'llama3.1:8b',
  '$300/month',
  'eu-west-1',
  'Europe/Berlin',
  'port 11434',
  'token bucket',
  'api key rotation',
];

/** Every secret line of a PEM body, for "none of it survives". */
export function secretParts(s: SecretShape): string[] {
  return s.secret.split('\n').filter((l) => l.length >= 8);
}
