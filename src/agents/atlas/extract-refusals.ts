/**
 * Requests the blueprints refuse. Each becomes a rationale line; none changes a parameter,
 * so a refused ask stays visible without ever widening the plan.
 */
const REFUSALS: Array<[RegExp, string]> = [
  [
    /\b(?:unencrypted|no encryption|without encryption|(?:disable|turn off|skip|remove|drop)\s+(?:the\s+)?(?:disk\s+|volume\s+|ebs\s+)?encryption|encryption\s+off|plain[- ]?text disks?)\b/,
    'Encryption cannot be turned off: the blueprint always encrypts disks and volumes.',
  ],
  [
    /\bpublic\s+(?:(?:ollama|llm|ai|model|inference|chat|api)\s+)?(?:ollama|llm|model|api|server|service|instances?|ips?|ip addresses|subnets?|endpoints?|load ?balancers?|access)\b|\bpublicly\s+(?:accessible|reachable|available|exposed)\b|\belastic ips?\b|\binternet[- ]facing\b/,
    'The blueprint stays private: instances live in private subnets with no public IPs or public endpoints.',
  ],
  [
    // World access is read only from a range or its words ("0.0.0.0/0", "from anywhere"), and then Sentinel fails it.
    /\ballow\s+(?:all|any|everything|everyone|everybody)\b(?!\s+(?:[a-z]+\s+)?(?:from|in|on|to)\b)/,
    'Only the allowed CIDRs reach the Ollama port: "allow all" was not read as world access (say "from 0.0.0.0/0" to ask for it; Sentinel fails a world-open port).',
  ],
  [
    /\bon[- ]?demand\s+(?:fall[- ]?backs?|backups?|fail[- ]?overs?)\b|\bfall(?:ing)?[- ]?back\s+(?:to|on)\s+on[- ]?demand\b/,
    'Spot has no automatic on-demand fallback here: the group keeps its on-demand base on demand (say "1 on-demand") and fills the rest with Spot across the listed instance types (price-capacity-optimized, with capacity rebalancing).',
  ],
  [
    /\b(?:skip|bypass|without|no|auto[- ]?)\s*(?:the\s+|human\s+|any\s+)?(?:approval|approve|review|sign[- ]?off)s?\b|\bapprove\s+(?:it\s+)?(?:automatically|yourself)\b|\bdon'?t\s+(?:wait\s+for|ask\s+for)\s+(?:approval|review)\b/,
    'Approval cannot be skipped: every plan needs a Sentinel PASS and a human /approve before apply.',
  ],
  [
    /\b(?:run|execute|exec|eval)\s+(?:this\s+|the\s+following\s+|a\s+|my\s+)?(?:command|script|shell|bash|code)s?\b|\bsudo\b|\brm\s+-rf?\b|\bcurl\s+\S+\s*\|\s*(?:ba)?sh\b|\$\(|\buser[- ]?data\b/,
    'Commands in a goal are never run: Atlas only fills blueprint parameters, and nothing it writes is executed.',
  ],
  [
    /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|system)?\s*(?:instructions?|prompts?|rules?)\b|\byou are now\b|\bsystem prompt\b|\bjailbreak\b|\bdeveloper mode\b/,
    'Text that tries to change how the goal is read was ignored; only blueprint parameters can be set.',
  ],
  [
    /\b(?:ssh|rdp|port\s+22|port\s+3389)\b/,
    'The blueprint exposes only the Ollama port; SSH/RDP access is not opened (use SSM Session Manager).',
  ],
  [
    /\b(?:root|admin(?:istrator)?)\s+(?:access|privileges?|rights|role)\b|\bfull\s+(?:iam|admin)\b|\b\*:\*\b/,
    'IAM stays least-privilege: the blueprint does not grant admin or root access.',
  ],
];

export function noteRefusals(...texts: string[]): string[] {
  return REFUSALS.filter(([re]) => texts.some((t) => re.test(t.toLowerCase()))).map(([, note]) => note);
}
