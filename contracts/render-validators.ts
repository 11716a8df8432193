import { Ajv, _ } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { PAYLOADS } from './artifacts.js';
import { AwsSpotOllamaSpec, AsgScheduleSpec, ProxmoxK3sSpec, DnsRecordSpec } from './artifacts.js';
import { Envelope } from './envelope.js';

// ajv-formats and ajv's standalone module are CJS with a default export; under NodeNext they
// arrive as the module object.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);
type StandaloneCode = (ajv: Ajv, refs: Record<string, string>) => string;
const standaloneCode =
  (standaloneCodeModule as unknown as { default?: StandaloneCode }).default ??
  (standaloneCodeModule as unknown as StandaloneCode);

/** Every schema a message is checked against, by the name its validator is exported under. */
export function validatedSchemas(): Record<string, object> {
  const payloads = Object.entries(PAYLOADS).filter(([name]) => name !== 'PlanSpec');
  return {
    Envelope,
    // A PlanSpec is checked against its blueprint's variant, so the reason names the real problem.
    AwsSpotOllamaSpec,
    AsgScheduleSpec,
    ProxmoxK3sSpec,
    DnsRecordSpec,
    ...Object.fromEntries(payloads),
  };
}

/**
 * The text of contracts/compiled-validators.ts: ajv's standalone code for every contract
 * schema, with the options the crew always validated with (all errors, formats), so a process
 * neither loads ajv nor compiles a schema to check a message.
 */
export function renderValidators(): string {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats(ajv);
  const schemas = validatedSchemas();
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
  const code = standaloneCode(ajv, Object.fromEntries(Object.keys(schemas).map((n) => [n, n])));
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// Generated from the contract schemas by `npm run contracts:validators`: edit contracts/*.ts, not this.',
    '// test/unit/contracts/compiled-validators.test.ts fails while the two differ.',
    // ajv's code requires its small runtime helpers (string length, the formats) by name.
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code,
    '',
  ].join('\n');
}
