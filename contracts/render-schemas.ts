import { PAYLOADS } from './artifacts.js';
import { CONTRACT_VERSION, Envelope } from './envelope.js';

/** The JSON Schema files (name → text) generated from the TypeBox contracts. */
export function renderSchemas(): Record<string, string> {
  const all: Record<string, unknown> = { Envelope, ...PAYLOADS };
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(all)) {
    const doc = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://infracrew.dev/contracts/${CONTRACT_VERSION}/${name}.schema.json`,
      title: name,
      ...JSON.parse(JSON.stringify(schema)),
    };
    out[`${name}.schema.json`] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return out;
}
