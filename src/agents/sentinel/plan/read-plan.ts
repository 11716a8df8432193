import { decodePlanText } from './decode-plan-text.js';
import { asRecord } from './lookup-value.js';
import { parseResourceChange, readStateModule } from './parse-resource-change.js';
import type { ParsedPlan, PlanResource } from './plan-types.js';
import { readAwsRegion, readConfiguration, readVariables } from './read-configuration.js';
import { errorMessage } from '../../../errors.js';

export type ReadPlanResult = { ok: true; plan: ParsedPlan } | { ok: false; reason: string };

/** Parses the bytes of a plan JSON file in UTF-8 or UTF-16 (with or without a BOM). Never throws. */
export function readPlanBytes(bytes: Uint8Array, fileName = 'plan.json'): ReadPlanResult {
  return readPlanJson(decodePlanText(bytes), fileName);
}

/** Parses the text of `terraform show -json <planfile>`. Never throws. */
export function readPlanJson(text: string, fileName = 'plan.json'): ReadPlanResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, reason: `${fileName} is empty` };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const msg = errorMessage(err);
    // V8 omits the position for a truncated document; the end of the text is where it stopped.
    const where = /end of JSON input/i.test(msg) && !/position/.test(msg) ? ` at position ${body.length}` : '';
    return { ok: false, reason: `${fileName} is truncated or not JSON: ${msg}${where}` };
  }
  return parsePlanObject(value, fileName);
}

/** Accepts an already-parsed plan document (raw input stays `unknown` until this accepts it). */
export function parsePlanObject(value: unknown, fileName = 'plan.json'): ReadPlanResult {
  const doc = asRecord(value);
  if (!doc) return { ok: false, reason: 'not a Terraform plan: expected a JSON object' };
  const fv = doc.format_version;
  if (typeof fv !== 'string') return { ok: false, reason: 'not a Terraform plan: missing format_version' };
  if (!/^1(\.|$)/.test(fv))
    return { ok: false, reason: `${fileName}: format_version ${fv} is not supported (expected 1.x)` };
  if (!('resource_changes' in doc)) {
    if ('planned_values' in doc) return build(doc, [], fileName);
    const hint = 'values' in doc ? ' (this looks like state: run terraform show -json on a saved plan file)' : '';
    return { ok: false, reason: `not a Terraform plan: missing resource_changes${hint}` };
  }
  if (!Array.isArray(doc.resource_changes))
    return { ok: false, reason: 'not a Terraform plan: resource_changes must be a list' };
  return build(doc, doc.resource_changes, fileName);
}

function readChanges(
  list: unknown[],
  field: string,
): { ok: true; value: PlanResource[] } | { ok: false; reason: string } {
  const out: PlanResource[] = [];
  for (let i = 0; i < list.length; i++) {
    const parsed = parseResourceChange(list[i], `${field}[${i}]`);
    if (!parsed.ok) return parsed;
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

function build(doc: Record<string, unknown>, rawChanges: unknown[], fileName: string): ReadPlanResult {
  const changes = readChanges(rawChanges, 'resource_changes');
  if (!changes.ok) return { ok: false, reason: `${fileName}: ${changes.reason}` };
  const drift = readChanges(Array.isArray(doc.resource_drift) ? doc.resource_drift : [], 'resource_drift');
  if (!drift.ok) return { ok: false, reason: `${fileName}: ${drift.reason}` };
  const variables = readVariables(doc.variables);
  const config = readConfiguration(doc.configuration);
  const plan: ParsedPlan = {
    formatVersion: doc.format_version as string,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : undefined,
    changes: changes.value,
    drift: drift.value,
    priorResources: readStateModule(asRecord(doc.prior_state)?.values),
    plannedResources: readStateModule(doc.planned_values),
    variables,
    providers: config.providers,
    configResources: config.resources,
    moduleOutputs: config.outputs,
    region: readAwsRegion(config.providers, variables),
  };
  return { ok: true, plan };
}
