// Secret shapes masked in any text that leaves the process (logs, Slack, artifacts).
const PATTERNS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{8,}/g, // Slack app-level tokens
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bhvs\.[A-Za-z0-9_-]{20,}/g, // Vault service tokens
  /(?<=(?:password|passwd|secret|token|K3S_TOKEN)\s*[=:]\s*["']?)[^\s"']{4,}/gi,
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
  for (const re of PATTERNS) out = out.replace(re, '[redacted]');
  return out;
}
