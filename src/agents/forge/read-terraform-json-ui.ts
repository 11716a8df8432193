/**
 * What a Terraform command run with `-json` printed: its machine-readable UI, one JSON message a
 * line (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). Lines that are
 * not such messages (a stand-in's plain text) are kept as log lines.
 */
export interface TerraformJsonUi {
  /** Each message's human line (`@message`), with a diagnostic's detail: what the plain UI would print. */
  logLines: string[];
  /** The error diagnostics as the plain UI prints them on stderr ("Error: summary" and the detail). */
  errors: string;
  /** The root module's outputs after an apply (the `outputs` message): as `terraform output -json` has them, sensitive values left out. */
  outputs?: Record<string, { value?: unknown; sensitive?: boolean }>;
}

interface UiMessage {
  '@message'?: unknown;
  type?: unknown;
  diagnostic?: { severity?: unknown; summary?: unknown; detail?: unknown };
  outputs?: unknown;
}

function parseMessage(line: string): UiMessage | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const m = JSON.parse(line) as unknown;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as UiMessage) : undefined;
  } catch {
    return undefined;
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function readTerraformJsonUi(stdout: string): TerraformJsonUi {
  const ui: TerraformJsonUi = { logLines: [], errors: '' };
  const errors: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const m = parseMessage(line);
    if (!m) {
      ui.logLines.push(line);
      continue;
    }
    const detail = m.type === 'diagnostic' ? text(m.diagnostic?.detail) : '';
    ui.logLines.push(...[text(m['@message']), ...detail.split('\n')].filter(Boolean));
    if (m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
      errors.push([`Error: ${text(m.diagnostic.summary)}`, detail].filter(Boolean).join('\n\n'));
    if (m.type === 'outputs' && typeof m.outputs === 'object' && m.outputs !== null && !Array.isArray(m.outputs))
      ui.outputs = m.outputs as TerraformJsonUi['outputs'];
  }
  ui.errors = errors.join('\n');
  return ui;
}
