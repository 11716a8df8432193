import { CrewError } from '../../errors.js';
import { mapConfiguration } from './map-sandbox-config.js';
import {
  type Json,
  cloudAddress,
  isRecord,
  mapAttributePath,
  mapReferenceText,
  parseSandboxName,
  providerOf,
} from './sandbox-address.js';

/**
 * Maps a sandbox plan (`terraform show -json`) back to the shape the cloud provider would
 * produce: `terraform_data.aws_vpc__main` becomes `aws_vpc.main` whose before/after are the
 * sandbox `input`. Unknown keys and non-sandbox resources pass through untouched.
 */
export function mapSandboxPlan(planJson: unknown): unknown {
  if (!isRecord(planJson) || typeof planJson.format_version !== 'string') {
    throw new CrewError('CREW_ERR_PLAN_JSON', 'sandbox plan JSON has no format_version');
  }
  const region =
    isRecord(planJson.variables) && isRecord(planJson.variables.region) ? planJson.variables.region.value : undefined;
  const out: Json = { ...planJson };
  if (Array.isArray(planJson.resource_changes)) out.resource_changes = planJson.resource_changes.map(mapResourceChange);
  if (Array.isArray(planJson.resource_drift)) out.resource_drift = planJson.resource_drift.map(mapResourceChange);
  if (isRecord(planJson.planned_values)) out.planned_values = mapValues(planJson.planned_values);
  if (isRecord(planJson.prior_state) && isRecord(planJson.prior_state.values)) {
    out.prior_state = { ...planJson.prior_state, values: mapValues(planJson.prior_state.values) };
  }
  if (planJson.configuration !== undefined) out.configuration = mapConfiguration(planJson.configuration, region);
  if (Array.isArray(planJson.relevant_attributes))
    out.relevant_attributes = planJson.relevant_attributes.map(mapRelevant);
  return out;
}

/** Renames address/type/name/provider of one sandbox resource entry; undefined if not one. */
function rename(entry: Json): Json | undefined {
  if (entry.type !== 'terraform_data') return undefined;
  const c = parseSandboxName(String(entry.name));
  if (!c) return undefined;
  const modulePrefix = typeof entry.module_address === 'string' ? entry.module_address : '';
  const renamed: Json = {
    ...entry,
    address: cloudAddress(c, modulePrefix),
    type: c.type,
    name: c.name,
    provider_name: providerOf(c.type).source,
  };
  if (c.index === undefined) delete renamed.index;
  else renamed.index = c.index;
  if (typeof entry.previous_address === 'string') renamed.previous_address = mapReferenceText(entry.previous_address);
  return renamed;
}

/** The `input` part of a terraform_data value/marker object, or `fallback` when absent. */
function inputOf(value: unknown, fallback: unknown): unknown {
  return isRecord(value) ? (value.input ?? fallback) : value;
}

function mapResourceChange(rc: unknown): unknown {
  if (!isRecord(rc)) return rc;
  const renamed = rename(rc);
  if (!renamed || !isRecord(rc.change)) return renamed ?? rc;
  const ch = rc.change;
  const after = ch.after === null || ch.after === undefined ? ch.after : inputOf(ch.after, {});
  const unknownInput = isRecord(ch.after_unknown) && ch.after_unknown.input === true;
  const change: Json = {
    ...ch,
    before: ch.before === null || ch.before === undefined ? ch.before : inputOf(ch.before, null),
    after,
    after_unknown: unknownInput || ch.after_unknown === true ? true : inputOf(ch.after_unknown, {}),
    before_sensitive: inputOf(ch.before_sensitive, {}),
    after_sensitive: inputOf(ch.after_sensitive, {}),
  };
  if (Array.isArray(ch.replace_paths))
    change.replace_paths = replacePaths(change.before, change.after, change.after_unknown);
  return { ...renamed, change };
}

/**
 * The sandbox replaces because `triggers_replace` changed; the cloud reports the attributes
 * that forced it. Those are the top-level input keys that differ or become unknown.
 */
function replacePaths(before: unknown, after: unknown, afterUnknown: unknown): string[][] {
  if (!isRecord(before)) return [];
  const a = isRecord(after) ? after : {};
  const u = isRecord(afterUnknown) ? afterUnknown : {};
  return Object.keys(before)
    .filter((k) => u[k] === true || JSON.stringify(before[k]) !== JSON.stringify(a[k]))
    .map((k) => [k]);
}

function mapValues(values: Json): Json {
  const out: Json = { ...values };
  if (isRecord(values.root_module)) out.root_module = mapModule(values.root_module);
  return out;
}

function mapModule(mod: Json): Json {
  const out: Json = { ...mod };
  if (Array.isArray(mod.resources)) {
    out.resources = mod.resources.map((r) => {
      if (!isRecord(r)) return r;
      const renamed = rename(r);
      if (!renamed) return r;
      const mapped: Json = {
        ...renamed,
        values: inputOf(r.values, {}),
        sensitive_values: inputOf(r.sensitive_values, {}),
      };
      if (Array.isArray(r.depends_on)) mapped.depends_on = r.depends_on.map((d) => mapReferenceText(String(d)));
      return mapped;
    });
  }
  if (Array.isArray(mod.child_modules))
    out.child_modules = mod.child_modules.map((m) => (isRecord(m) ? mapModule(m) : m));
  return out;
}

function mapRelevant(entry: unknown): unknown {
  if (!isRecord(entry) || typeof entry.resource !== 'string') return entry;
  return {
    ...entry,
    resource: mapReferenceText(entry.resource),
    attribute: Array.isArray(entry.attribute) ? mapAttributePath(entry.attribute) : entry.attribute,
  };
}
