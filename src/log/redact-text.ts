// Secret shapes masked in any text that leaves the process (logs, Slack, artifacts) and in
// goals before they are stored or echoed. Each shape is specific enough that goal words
// (CIDRs, instance types, plan ids, "api key rotation") never match. A secret known by what
// precedes it ("password=…") captures that name as group 1, which stays: the name comes first in
// the pattern (not a lookbehind), so the engine skips ahead to it instead of trying every position.
const PATTERNS: RegExp[] = [
  // PEM blocks of any kind (private keys, OpenSSH keys, certificates), and one cut off before its END line.
  /-----BEGIN [A-Z0-9 ]{2,40}-----[\s\S]*?-----END [A-Z0-9 ]{2,40}-----/g,
  // (A cut-off block ends at a quote too, so a JSON log line keeps its closing quote.)
  /-----BEGIN [A-Z0-9 ]{2,40}-----[^"]*/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens: classic, OAuth, user-to-server, server, refresh
  /\bgithub_pat_[A-Za-z0-9_]{40,}/g, // GitHub fine-grained tokens
  /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{8,}/g, // Slack tokens (bot, user, app, refresh…)
  /\bxapp-[A-Za-z0-9-]{8,}/g, // Slack app-level tokens
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  // AWS secret access keys: 40 characters after their name.
  /(\baws[_ -]?secret[_ -]?access[_ -]?key["']?\s*(?:[=:]|\bis\b)?\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
  /\bhvs\.[A-Za-z0-9_-]{20,}/g, // Vault service tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, // bearer tokens
  // api_key=…, apikey: …, x-api-key: …: any value after = or :.
  /(\b(?:x-)?api[_-]?key["']?\s*[=:]\s*["']?)[^\s"',;]{4,}/gi,
  // "api-key <key>", "api_key <key>": a value with a digit, so "api-key rotation" stays.
  /(\bapi[_-]key\s+["']?)(?=[^\s"',;]*\d)[A-Za-z0-9._~+/=-]{12,}/gi,
  /((?:password|passwd|secret|token|K3S_TOKEN)\s*[=:]\s*["']?)[^\s"']{4,}/gi,
];

const extra = new Set<string>();

/** Registers a literal secret (e.g. one read from Vault) so it is masked wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6) return;
  extra.add(value);
  // Inside JSON (log lines, artifacts) the same secret appears escaped.
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) extra.add(escaped);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of extra) out = out.split(secret).join('[redacted]');
  for (const re of PATTERNS)
    out = out.replace(re, (_m, name: unknown) => `${typeof name === 'string' ? name : ''}[redacted]`);
  return out;
}
