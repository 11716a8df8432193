// Building blocks of the sandbox root config: a cloud resource rendered as `terraform_data`
// whose `input` holds the attributes the real provider would plan.

/** A raw Terraform template string (already escaped); everything else is a literal. */
export class Expr {
  constructor(readonly template: string) {}
}

export type SandboxValue = string | number | boolean | null | Expr | SandboxValue[] | { [key: string]: SandboxValue };

export interface SandboxResource {
  type: string;
  name: string;
  /** Set for one instance of a counted resource: rendered as `<type>__<name>__<index>`. */
  index?: number;
  input: Record<string, SandboxValue>;
  /** Values AWS/Proxmox treat as ForceNew: a change plans a replacement, as on the cloud. */
  replaceOn?: SandboxValue[];
  /** Input keys the real module lists in `lifecycle.ignore_changes`. */
  ignoreChanges?: string[];
}

/** One blueprint's sandbox: resources plus the root variables and outputs around them. */
export interface SandboxParts {
  resources: SandboxResource[];
  variables: Record<string, unknown>;
  outputs: Record<string, { value: SandboxValue; description: string }>;
}

/** Terraform's JSON syntax reads every string as a template: keep literals literal. */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}

export function sandboxName(type: string, name: string, index?: number): string {
  return index === undefined ? `${type}__${name}` : `${type}__${name}__${index}`;
}

/**
 * A value the cloud only knows after apply (an id or ARN): the sandbox resource's own id,
 * which terraform_data also leaves unknown until apply.
 */
export function ref(type: string, name: string, index?: number): Expr {
  return new Expr(`\${terraform_data.${sandboxName(type, name, index)}.id}`);
}

/**
 * A set of computed ids (security groups, subnets): unknown as a whole until every member is
 * known, the way the provider plans set attributes.
 */
export function setOfRefs(refs: Expr[]): Expr {
  const ids = refs.map((r) => r.template.slice(2, -1));
  // The condition is unknown while any member is, which makes the whole set unknown.
  const known = `alltrue([${ids.map((id) => `${id} != ""`).join(', ')}])`;
  return new Expr(`\${${known} ? toset([${ids.join(', ')}]) : toset([])}`);
}

/** A computed attribute kept in the referenced resource's input (unknown while it changes). */
export function refAttr(type: string, name: string, attr: string): Expr {
  return new Expr(`\${terraform_data.${sandboxName(type, name)}.output.${attr}}`);
}

/** Joins literal text and expressions into one template string. */
export function concat(...parts: (string | Expr)[]): Expr {
  return new Expr(parts.map((p) => (p instanceof Expr ? p.template : escapeTemplate(p))).join(''));
}

/**
 * Converts a sandbox value to Terraform JSON: literals escaped, expressions verbatim. Object
 * keys are escaped too: inside an expression Terraform reads a JSON key as a template as well.
 */
export function toTerraformJson(value: SandboxValue): unknown {
  if (value instanceof Expr) return value.template;
  if (typeof value === 'string') return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(toTerraformJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), toTerraformJson(v)]));
  }
  return value;
}
