import {
  type Json,
  cloudAddress,
  isRecord,
  mapReferenceText,
  parseSandboxName,
  providerOf,
  PROVIDERS,
} from './sandbox-address.js';
import { matchesOf } from '../../util/regexps.js';

// Maps `configuration` of a sandbox plan: one cloud-typed resource per sandbox family, with
// per-attribute expressions recovered from the JSON-syntax templates Terraform reports.

const INTERPOLATION = /(?<!\$)\$\{/;

function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return INTERPOLATION.test(value);
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (isRecord(value)) return Object.values(value).some(hasTemplate);
  return false;
}

function unescape(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (Array.isArray(value)) return value.map(unescape);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]));
  return value;
}

function referencesIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    for (const m of matchesOf(/\$\{([^}]*)\}/g, value)) {
      for (const r of m[1]?.match(/\b(?:terraform_data\.[A-Za-z0-9_.-]+|var\.[A-Za-z0-9_]+)/g) ?? []) {
        const mapped = mapReferenceText(r);
        into.add(mapped);
        const resource = /^([a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[\d+\])?)\./.exec(mapped)?.[1];
        if (resource && !resource.startsWith('var.')) into.add(resource);
      }
    }
  } else if (Array.isArray(value)) value.forEach((v) => referencesIn(v, into));
  else if (isRecord(value)) Object.values(value).forEach((v) => referencesIn(v, into));
  return into;
}

/** `{constant_value}` for literal attributes, `{references}` where the value comes from elsewhere. */
function expressionFor(value: unknown): unknown {
  if (!hasTemplate(value)) return { constant_value: unescape(value) };
  if (Array.isArray(value) && value.every(isRecord)) return value.map((block) => expressionsOf(block));
  return { references: [...referencesIn(value, new Set())] };
}

function expressionsOf(input: Json): Json {
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, expressionFor(v)]));
}

export function mapConfiguration(configuration: unknown, region: unknown): unknown {
  if (!isRecord(configuration) || !isRecord(configuration.root_module)) return configuration;
  const root = configuration.root_module;
  const resources = Array.isArray(root.resources) ? root.resources : [];
  const families = new Map<string, Json>();
  const kept: unknown[] = [];
  const used = new Set<string>();
  for (const r of resources) {
    const c = isRecord(r) && r.type === 'terraform_data' ? parseSandboxName(String(r.name)) : undefined;
    if (!isRecord(r) || !c) {
      kept.push(r);
      continue;
    }
    const address = cloudAddress({ type: c.type, name: c.name });
    const family = families.get(address);
    if (family) {
      family.count_expression = {
        constant_value: Math.max(
          Number((family.count_expression as Json | undefined)?.constant_value ?? 1),
          (c.index ?? 0) + 1,
        ),
      };
      continue;
    }
    const provider = providerOf(c.type);
    used.add(provider.key);
    const input =
      isRecord(r.expressions) && isRecord(r.expressions.input) ? r.expressions.input.constant_value : undefined;
    const mapped: Json = {
      address,
      mode: 'managed',
      type: c.type,
      name: c.name,
      provider_config_key: provider.key,
      expressions: isRecord(input) ? expressionsOf(input) : {},
      schema_version: 0,
    };
    if (c.index !== undefined) mapped.count_expression = { constant_value: c.index + 1 };
    if (Array.isArray(r.depends_on)) mapped.depends_on = r.depends_on.map((d) => mapReferenceText(String(d)));
    families.set(address, mapped);
  }
  const providerConfig: Json = { ...(isRecord(configuration.provider_config) ? configuration.provider_config : {}) };
  if (kept.length === 0) delete providerConfig.terraform;
  for (const key of used) {
    const p = PROVIDERS[key]!;
    const expressions =
      key === 'aws' ? { region: { constant_value: region ?? null } } : { insecure: { constant_value: false } };
    providerConfig[key] = { name: key, full_name: p.source, version_constraint: p.version, expressions };
  }
  const mappedRoot: Json = { ...root, resources: [...kept, ...families.values()] };
  if (isRecord(root.outputs))
    mappedRoot.outputs = Object.fromEntries(Object.entries(root.outputs).map(([k, o]) => [k, mapOutput(o)]));
  return { ...configuration, provider_config: providerConfig, root_module: mappedRoot };
}

function mapOutput(output: unknown): unknown {
  if (!isRecord(output) || !isRecord(output.expression)) return output;
  const e = output.expression;
  const expression =
    'constant_value' in e ? expressionFor(e.constant_value) : { ...e, references: mapList(e.references) };
  return { ...output, expression };
}

function mapList(list: unknown): unknown {
  return Array.isArray(list) ? [...new Set(list.map((r) => mapReferenceText(String(r))))] : list;
}
