import type { ErrorObject } from 'ajv';
import { type ArtifactType, type PlanSpec } from './artifacts.js';
import { BLUEPRINTS } from './names.js';
import type { Artifact } from './envelope.js';
import * as compiledValidators from './compiled-validators.js';

/** A validator ajv compiled ahead of time (contracts/compiled-validators.ts, from the schemas). */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validators = compiledValidators as unknown as Record<string, Validator>;

function validator(name: string): Validator {
  const v = validators[name];
  if (!v) throw new Error(`no compiled validator for ${name}: run npm run contracts:validators`);
  return v;
}

const specVariants: Record<string, string> = {
  'aws-spot-ollama': 'AwsSpotOllamaSpec',
  'asg-schedule': 'AsgScheduleSpec',
  'proxmox-k3s': 'ProxmoxK3sSpec',
  'dns-record': 'DnsRecordSpec',
};

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Formats ajv errors as one readable line: `payload.params.minSize: must be >= 0`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  if (!errors || errors.length === 0) return `${root}: invalid`;
  const lines = errors.slice(0, 5).map((e) => {
    const at = `${root}${e.instancePath.replaceAll('/', '.')}`;
    if (e.keyword === 'additionalProperties') return `${at}: unknown field "${String(e.params.additionalProperty)}"`;
    if (e.keyword === 'required') return `${at}: missing field "${String(e.params.missingProperty)}"`;
    if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(e.params.allowedValue)}`;
    return `${at}: ${e.message ?? 'invalid'}`;
  });
  return [...new Set(lines)].join('; ');
}

/**
 * JSON such as `1e999` parses to Infinity, which ajv takes for a number (even an integer);
 * a contract number is always finite. Returns the path of the first one that is not.
 */
function nonFinitePath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (depth > 64 || typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const hit = nonFinitePath(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** Validates a PlanSpec, choosing the blueprint's variant so the reason names the real problem. */
export function checkPlanSpec(value: unknown, root = 'PlanSpec'): Checked<PlanSpec> {
  if (typeof value !== 'object' || value === null) return { ok: false, reason: `${root}: must be an object` };
  const blueprint = (value as { blueprint?: unknown }).blueprint;
  const variant =
    typeof blueprint === 'string' && Object.hasOwn(specVariants, blueprint) ? specVariants[blueprint] : undefined;
  if (!variant) {
    return { ok: false, reason: `${root}.blueprint: must be one of ${BLUEPRINTS.join(', ')}` };
  }
  const check = validator(variant);
  if (!check(value)) return { ok: false, reason: describeErrors(check.errors, root) };
  const spec = value as PlanSpec;
  // Only a removal may leave the value out (the whole record set of that name and type goes).
  if (spec.blueprint === 'dns-record' && spec.params.action === 'add' && spec.params.value === undefined)
    return { ok: false, reason: `${root}.params.value: an added record needs a value` };
  return { ok: true, value: spec };
}

export function checkPayload<T extends ArtifactType>(
  type: T,
  payload: unknown,
  root = 'payload',
): Checked<Artifact<T>['payload']> {
  const infinite = nonFinitePath(payload, root);
  if (infinite) return { ok: false, reason: `${type} ${infinite}: must be a finite number` };
  if (type === 'PlanSpec') return checkPlanSpec(payload, root) as Checked<Artifact<T>['payload']>;
  const check = validator(type);
  if (!check(payload)) return { ok: false, reason: `${type} ${describeErrors(check.errors, root)}` };
  return { ok: true, value: payload as Artifact<T>['payload'] };
}

/** Validates an envelope and its payload. Raw input stays `unknown` until this accepts it. */
export function checkArtifact(value: unknown): Checked<Artifact> {
  const envelopeValidator = validator('Envelope');
  if (!envelopeValidator(value))
    return { ok: false, reason: `envelope ${describeErrors(envelopeValidator.errors, 'artifact')}` };
  const env = value as { type: ArtifactType; payload: unknown };
  const payload = checkPayload(env.type, env.payload);
  if (!payload.ok) return payload;
  return { ok: true, value: value as Artifact };
}
