import { evaluatePlan, type SentinelOptions } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../../../../src/agents/sentinel/plan/read-plan.js';
import type { ParsedPlan } from '../../../../src/agents/sentinel/plan/plan-types.js';
import type { ValidationResult } from '../../../../contracts/index.js';

// Builds `terraform show -json` documents for focused rule tests: the same shape as the
// fixtures in test/fixtures/plans, with only the resources a test needs.

export interface ChangeSpec {
  address: string;
  actions?: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  afterUnknown?: unknown;
  afterSensitive?: unknown;
  /** Configuration expressions; omitted means the resource has no configuration entry. */
  config?: Record<string, unknown>;
  replacePaths?: unknown[];
}

export interface PlanExtras {
  variables?: Record<string, unknown>;
  providers?: Record<string, unknown>;
  drift?: ChangeSpec[];
  region?: string;
}

export const NOW = new Date('2026-11-21T10:00:00Z');

function split(address: string): { module?: string; type: string; name: string; index?: unknown; local: string } {
  const parts = address.replace(/\[[^\]]*\]/g, (m) => m.replace(/\./g, '\u0000')).split('.');
  let i = 0;
  const mods: string[] = [];
  while (parts[i] === 'module') {
    mods.push(`module.${parts[i + 1]}`);
    i += 2;
  }
  const rest = parts.slice(i).map((p) => p.replace(/\u0000/g, '.'));
  const dataOffset = rest[0] === 'data' ? 1 : 0;
  const type = rest[dataOffset] ?? '';
  const nameWithIndex = rest[dataOffset + 1] ?? '';
  const m = /^([^[]+)(?:\[(.+)\])?$/.exec(nameWithIndex);
  return {
    module: mods.length ? mods.join('.').replace(/\u0000/g, '.') : undefined,
    type,
    name: m?.[1] ?? nameWithIndex,
    index: m?.[2] !== undefined ? JSON.parse(m[2]) : undefined,
    local: rest.join('.').replace(/\[[^\]]*\]$/, ''),
  };
}

function change(c: ChangeSpec): Record<string, unknown> {
  const s = split(c.address);
  const actions = c.actions ?? ['create'];
  const before = c.before ?? null;
  const after =
    c.after === undefined ? (actions.includes('delete') && !actions.includes('create') ? null : {}) : c.after;
  return {
    address: c.address,
    ...(s.module ? { module_address: s.module } : {}),
    mode: 'managed',
    type: s.type,
    name: s.name,
    ...(s.index !== undefined ? { index: s.index } : {}),
    provider_name: s.type.startsWith('proxmox')
      ? 'registry.terraform.io/bpg/proxmox'
      : 'registry.terraform.io/hashicorp/aws',
    change: {
      actions,
      before,
      after,
      after_unknown: c.afterUnknown ?? {},
      before_sensitive: before === null ? false : {},
      after_sensitive: after === null ? false : (c.afterSensitive ?? {}),
      ...(c.replacePaths ? { replace_paths: c.replacePaths } : {}),
    },
  };
}

export function buildPlan(changes: ChangeSpec[], extras: PlanExtras = {}): Record<string, unknown> {
  const root: Record<string, unknown> = { resources: [] as unknown[] };
  for (const c of changes) {
    if (!c.config) continue;
    const s = split(c.address);
    let mod = root;
    for (const m of (s.module ?? '').split('.module.').filter(Boolean)) {
      const name = m.replace(/^module\./, '').replace(/\[.*\]$/, '');
      const calls = (mod.module_calls ??= {}) as Record<string, { source: string; module: Record<string, unknown> }>;
      calls[name] ??= { source: `./modules/${name}`, module: { resources: [] } };
      mod = calls[name].module;
    }
    (mod.resources as unknown[]).push({
      address: s.local,
      mode: 'managed',
      type: s.type,
      name: s.name,
      provider_config_key: 'aws',
      expressions: c.config,
      schema_version: 0,
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    variables: Object.fromEntries(Object.entries(extras.variables ?? {}).map(([k, v]) => [k, { value: v }])),
    planned_values: { root_module: {} },
    ...(extras.drift ? { resource_drift: extras.drift.map(change) } : {}),
    resource_changes: changes.map(change),
    configuration: {
      provider_config: extras.providers ?? {
        aws: {
          name: 'aws',
          full_name: 'registry.terraform.io/hashicorp/aws',
          expressions: { region: { constant_value: extras.region ?? 'us-east-1' } },
        },
      },
      root_module: root,
    },
  };
}

export function planOf(changes: ChangeSpec[], extras?: PlanExtras): ParsedPlan {
  const r = parsePlanObject(buildPlan(changes, extras));
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

export function evaluate(changes: ChangeSpec[], options: SentinelOptions = {}, extras?: PlanExtras): ValidationResult {
  return evaluatePlan(planOf(changes, extras), { now: NOW, ...options });
}

/** `RULE@address` for each finding, sorted: compact exact assertions. */
export function hits(result: ValidationResult, ruleId?: string): string[] {
  return result.findings
    .filter((f) => !ruleId || f.ruleId === ruleId)
    .map((f) => `${f.ruleId}@${f.address}`)
    .sort();
}

export function only(result: ValidationResult, ruleId: string): ValidationResult['findings'] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
export const ref = (...references: string[]) => ({ references });
export const lit = (constant_value: unknown) => ({ constant_value });
