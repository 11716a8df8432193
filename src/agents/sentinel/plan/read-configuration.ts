import { ownValue } from '../util/own-value.js';
import { asRecord } from './lookup-value.js';
import type { ConfigExpression, ConfigResource, ModuleOutput, ProviderConfig } from './plan-types.js';

// `configuration` holds what the plan cannot: literals and references behind unknown values.

export function parseExpression(raw: unknown): ConfigExpression {
  const rec = asRecord(raw) ?? {};
  const refs = Array.isArray(rec.references) ? rec.references.filter((r): r is string => typeof r === 'string') : [];
  return { hasConstant: 'constant_value' in rec, constantValue: rec.constant_value, references: refs };
}

export interface ParsedConfiguration {
  resources: Map<string, ConfigResource>;
  outputs: Map<string, Map<string, ModuleOutput>>;
  providers: ProviderConfig[];
}

export function readConfiguration(raw: unknown): ParsedConfiguration {
  const conf = asRecord(raw) ?? {};
  const out: ParsedConfiguration = {
    resources: new Map(),
    outputs: new Map(),
    providers: readProviders(conf.provider_config),
  };
  readModule(asRecord(conf.root_module), '', out);
  return out;
}

function readModule(mod: Record<string, unknown> | null, modulePath: string, out: ParsedConfiguration): void {
  if (!mod) return;
  for (const res of Array.isArray(mod.resources) ? mod.resources : []) {
    const r = asRecord(res);
    if (!r || typeof r.address !== 'string') continue;
    const key = modulePath ? `${modulePath}.${r.address}` : r.address;
    out.resources.set(key, {
      key,
      modulePath,
      type: typeof r.type === 'string' ? r.type : '',
      expressions: asRecord(r.expressions) ?? {},
    });
  }
  const outputs = new Map<string, ModuleOutput>();
  for (const [name, o] of Object.entries(asRecord(mod.outputs) ?? {})) {
    outputs.set(name, { expression: parseExpression(asRecord(o)?.expression) });
  }
  out.outputs.set(modulePath, outputs);
  for (const [name, call] of Object.entries(asRecord(mod.module_calls) ?? {})) {
    const child = modulePath ? `${modulePath}.module.${name}` : `module.${name}`;
    readModule(asRecord(asRecord(call)?.module), child, out);
  }
}

function readProviders(raw: unknown): ProviderConfig[] {
  return Object.entries(asRecord(raw) ?? {}).flatMap(([key, value]) => {
    const p = asRecord(value);
    if (!p) return [];
    const name = typeof p.name === 'string' ? p.name : (key.replace(/^.*:/, '').split('.')[0] ?? key);
    return [
      {
        key,
        name,
        alias: typeof p.alias === 'string' ? p.alias : undefined,
        modulePath: typeof p.module_address === 'string' ? p.module_address : '',
        expressions: asRecord(p.expressions) ?? {},
      },
    ];
  });
}

/** Value of a provider argument: a literal, or a root variable it references. */
export function readProviderArgument(
  provider: ProviderConfig,
  argument: string,
  variables: Record<string, unknown>,
): { known: true; value: unknown } | { known: false; reference?: string } | undefined {
  const raw = ownValue(provider.expressions, argument);
  if (raw === undefined) return undefined;
  const expr = parseExpression(raw);
  if (expr.hasConstant) return { known: true, value: expr.constantValue };
  const varRef = expr.references.find((r) => r.startsWith('var.'));
  if (varRef && provider.modulePath === '') {
    const name = varRef.slice(4).split('.')[0] ?? '';
    if (Object.hasOwn(variables, name)) return { known: true, value: variables[name] };
  }
  return { known: false, reference: expr.references[0] };
}

export function readAwsRegion(providers: ProviderConfig[], variables: Record<string, unknown>): string | undefined {
  const aws = providers.find((p) => p.name === 'aws' && !p.alias && p.modulePath === '');
  if (!aws) return undefined;
  const region = readProviderArgument(aws, 'region', variables);
  return region?.known && typeof region.value === 'string' && region.value !== '' ? region.value : undefined;
}

export function readVariables(raw: unknown): Record<string, unknown> {
  // No prototype: a variable may be called "__proto__" or "constructor".
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of Object.entries(asRecord(raw) ?? {})) out[name] = asRecord(v)?.value;
  return out;
}
