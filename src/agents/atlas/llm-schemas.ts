import { Ajv, type ValidateFunction } from 'ajv';
import {
  AsgScheduleParams,
  AwsSpotOllamaParams,
  BLUEPRINTS,
  describeErrors,
  DnsRecordParams,
  ProxmoxK3sParams,
  type BlueprintName,
  type Checked,
} from '../../../contracts/index.js';
import { errorMessage } from '../../errors.js';

// TypeBox schemas carry symbol keys; a JSON round trip leaves the plain JSON Schema Ollama takes.
const plain = (schema: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

export const PARAMS_SCHEMAS: Record<BlueprintName, Record<string, unknown>> = {
  'aws-spot-ollama': plain(AwsSpotOllamaParams),
  'asg-schedule': plain(AsgScheduleParams),
  'proxmox-k3s': plain(ProxmoxK3sParams),
  'dns-record': plain(DnsRecordParams),
};

/** For a goal the parser could not map: the model picks a blueprint (or none) and fills it. */
export const PICK_SCHEMA: Record<string, unknown> = {
  anyOf: [
    ...BLUEPRINTS.map((b) => ({
      type: 'object',
      properties: { blueprint: { const: b }, params: PARAMS_SCHEMAS[b] },
      required: ['blueprint', 'params'],
      additionalProperties: false,
    })),
    {
      type: 'object',
      properties: { blueprint: { const: 'none' }, reason: { type: 'string', maxLength: 500 } },
      required: ['blueprint', 'reason'],
      additionalProperties: false,
    },
  ],
};

let ajv: Ajv | undefined;
const validators = new Map<BlueprintName, ValidateFunction>();
/** A blueprint's params validator, compiled on first use: only a model reply needs one. */
function validatorOf(blueprint: BlueprintName): ValidateFunction {
  let v = validators.get(blueprint);
  if (!v) {
    ajv ??= new Ajv({ allErrors: true, strict: false });
    v = ajv.compile(PARAMS_SCHEMAS[blueprint]);
    validators.set(blueprint, v);
  }
  return v;
}

/** Parses the model's reply and checks it against a blueprint's params schema. */
export function checkParamsReply(blueprint: BlueprintName, content: string): Checked<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${errorMessage(err)})` };
  }
  const validate = validatorOf(blueprint);
  if (!validate(value)) return { ok: false, reason: describeErrors(validate.errors, 'params') };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Parses a pick reply: a blueprint with params, or none. */
export function checkPickReply(
  content: string,
): Checked<{ blueprint: BlueprintName; params: Record<string, unknown> } | { blueprint: 'none'; reason: string }> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${errorMessage(err)})` };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'reply must be a JSON object' };
  const v = value as { blueprint?: unknown; params?: unknown; reason?: unknown };
  if (v.blueprint === 'none')
    return {
      ok: true,
      value: { blueprint: 'none', reason: typeof v.reason === 'string' ? v.reason.slice(0, 500) : '' },
    };
  if (typeof v.blueprint !== 'string' || !(BLUEPRINTS as readonly string[]).includes(v.blueprint)) {
    return { ok: false, reason: `blueprint must be one of ${BLUEPRINTS.join(', ')} or none` };
  }
  const b = v.blueprint as BlueprintName;
  const params = checkParamsReply(b, JSON.stringify(v.params ?? null));
  return params.ok ? { ok: true, value: { blueprint: b, params: params.value } } : params;
}
