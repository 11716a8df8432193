// Name translation between the sandbox (`terraform_data.aws_subnet__private__0`) and the
// cloud resource it stands for (`aws_subnet.private[0]`).

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface CloudName {
  type: string;
  name: string;
  index?: number;
}

export function parseSandboxName(sandboxName: string): CloudName | undefined {
  const m = /^([a-z][a-z0-9_]*?)__([A-Za-z0-9_-]+?)(?:__(\d+))?$/.exec(sandboxName);
  if (!m?.[1] || !m[2]) return undefined;
  return m[3] === undefined ? { type: m[1], name: m[2] } : { type: m[1], name: m[2], index: Number(m[3]) };
}

export function cloudAddress(c: CloudName, modulePrefix = ''): string {
  const base = `${c.type}.${c.name}${c.index === undefined ? '' : `[${c.index}]`}`;
  return modulePrefix ? `${modulePrefix}.${base}` : base;
}

export const PROVIDERS: Record<string, { key: string; source: string; version: string }> = {
  aws: { key: 'aws', source: 'registry.terraform.io/hashicorp/aws', version: '~> 5.32' },
  proxmox: { key: 'proxmox', source: 'registry.terraform.io/bpg/proxmox', version: '>= 0.66.0' },
};

export function providerOf(type: string): { key: string; source: string; version: string } {
  return type.startsWith('proxmox_') ? PROVIDERS.proxmox! : PROVIDERS.aws!;
}

/**
 * Rewrites sandbox references inside any text: `terraform_data.X__y.id` → `X.y.id`,
 * `terraform_data.X__y.output.a` → `X.y.a`, `terraform_data.X__y__0` → `X.y[0]`.
 */
export function mapReferenceText(text: string): string {
  return text.replace(
    /terraform_data\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)*)/g,
    (whole, name: string, rest: string) => {
      const c = parseSandboxName(name);
      if (!c) return whole;
      const path = rest.replace(/^\.(?:output|input)(?=\.|$)/, '');
      return cloudAddress(c) + path;
    },
  );
}

/** Attribute paths in a sandbox resource start with `input`/`output`; the cloud's do not. */
export function mapAttributePath(path: unknown[]): unknown[] {
  return path[0] === 'input' || path[0] === 'output' ? path.slice(1) : path;
}
