// Extra vars for ansible-playbook (`-e @file`) in YAML, every string tagged `!unsafe`.
//
// Ansible renders `{{ … }}`, `{% … %}` and `{# … #}` in any variable it reads, so a record
// value or a record read back from a DNS server would run as Jinja (a `lookup('pipe', …)` is a
// shell command). Ansible's YAML loader turns `!unsafe` strings into values it never templates,
// however they are used later: data stays data.

export type VarValue = string | number | boolean | null | VarValue[] | { [key: string]: VarValue };

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** A YAML double-quoted scalar that any YAML 1.1/1.2 reader decodes back to `text` exactly. */
function quote(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new Error('an Ansible variable cannot hold a lone UTF-16 surrogate');
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function renderValue(value: VarValue): string {
  if (typeof value === 'string') return `!unsafe ${quote(value)}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`an Ansible variable cannot hold ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${quote(k)}: ${renderValue(v)}`)
    .join(', ')}}`;
}

/** One `name: value` line per variable; names must be plain identifiers. */
export function renderUnsafeVars(vars: Record<string, VarValue>): string {
  const lines = ['# Data only: every string is !unsafe, so Ansible never evaluates it as a template.'];
  for (const [name, value] of Object.entries(vars)) {
    if (!KEY.test(name)) throw new Error(`${JSON.stringify(name)} is not an Ansible variable name`);
    lines.push(`${name}: ${renderValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
