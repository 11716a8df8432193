import { gunzipSync } from 'node:zlib';

// Secret shapes worth stopping a plan for. Matches are reported by kind and line, never by value.
const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { kind: 'an AWS secret access key', re: /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/i },
  { kind: 'a literal K3S_TOKEN', re: /\bK3S_(?:AGENT_)?TOKEN\s*=\s*["']?(?![$"'\s])[^\s"']{4,}/ },
  { kind: 'a literal k3s --token', re: /--(?:agent-)?token[= ]+["']?(?![$"'\s-])[^\s"']{8,}/ },
  { kind: 'a private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: 'a Vault token', re: /\bhvs\.[A-Za-z0-9_-]{20,}/ },
];

export interface SecretHit {
  kind: string;
  line: number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** user_data as the instance will see it: base64 and gzip (cloud-init accepts both) undone. */
export function decodeUserData(value: string): string {
  const compact = value.replace(/\s+/g, '');
  if (compact.length < 8 || compact.length % 4 !== 0 || !BASE64.test(compact)) return value;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch {
      return value;
    }
  }
  const text = bytes.toString('utf8');
  // Binary that merely looks like base64 is not a script; scan the original then.
  const printable = text.replace(/[^\x09\x0a\x0d\x20-\x7e]/g, '').length / Math.max(text.length, 1);
  return printable > 0.95 ? text : value;
}

export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    for (const { kind, re } of PATTERNS) if (re.test(line)) hits.push({ kind, line: i + 1 });
  });
  return hits;
}
