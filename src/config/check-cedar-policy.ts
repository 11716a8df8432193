import { CEDAR_SCHEMA } from './cedar-schema.js';
import { loadCedar } from './load-cedar.js';

/** A policy set read and validated: its text and each policy's id, in order. */
export type CedarCheck = { ok: true; text: string; ids: string[] } | { ok: false; errors: string[] };

type Located = { message: string; help?: string | null; sourceLocations?: Array<{ start: number }> };

/** `line L, column C` of a byte offset into the text (Cedar's locations count UTF-8 bytes). */
function position(text: string, byteOffset: number): string {
  const before = Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8');
  const lines = before.split('\n');
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

function describe(text: string, e: Located): string {
  const at = e.sourceLocations?.[0];
  const where = at ? `${position(text, at.start)}: ` : '';
  return `${where}${e.message}${e.help ? ` (${e.help})` : ''}`;
}

const ID_ANNOTATION = /@id\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/;
// Identities compare case-folded: a person or group named with capitals would never match.
const CAPITALISED_NAME = /\b(Person|Group)\s*::\s*"([^"]*\p{Lu}[^"]*)"/gu;

/**
 * Parses and validates Cedar policy text against the crew's entity model: syntax errors,
 * unknown entity types, actions or attributes, duplicate ids and capitalised names, each with
 * its line and column. Policies are named by their `@id("…")` annotation, else `policy<N>`.
 */
export function checkCedarPolicy(text: string): CedarCheck {
  const cedar = loadCedar();
  const parsed = cedar.checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') return { ok: false, errors: parsed.errors.map((e) => describe(text, e)) };
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') return { ok: false, errors: parts.errors.map((e) => describe(text, e)) };
  const ids = parts.policies.map((p, i) => ID_ANNOTATION.exec(p)?.[1] ?? `policy${i}`);
  const errors: string[] = [];
  if (ids.length === 0) errors.push('no policies: every request would be denied');
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) errors.push(`two policies have the id "${id}": give each its own @id`);
    seen.add(id);
  }
  for (const m of text.matchAll(CAPITALISED_NAME)) {
    errors.push(
      `${position(text, Buffer.byteLength(text.slice(0, m.index), 'utf8'))}: ${m[1]}::"${m[2]}" has capitals; identities compare in lower case, write ${m[1]}::"${m[2]!.toLowerCase()}"`,
    );
  }
  const validated = cedar.validate({ schema: CEDAR_SCHEMA, policies: { staticPolicies: text } });
  if (validated.type === 'failure') errors.push(...validated.errors.map((e) => describe(text, e)));
  else {
    for (const v of validated.validationErrors) {
      const n = /^policy(\d+)$/.exec(v.policyId);
      const named = n ? ids[Number(n[1])] : undefined;
      const message = named
        ? v.error.message.replace(`policy \`${v.policyId}\``, `policy "${named}"`)
        : v.error.message;
      errors.push(describe(text, { ...v.error, message }));
    }
  }
  const at = (e: string) => {
    const m = /^line (\d+), column (\d+)/.exec(e);
    return m ? Number(m[1]) * 1e6 + Number(m[2]) : Number.MAX_SAFE_INTEGER;
  };
  errors.sort((a, b) => at(a) - at(b));
  return errors.length ? { ok: false, errors } : { ok: true, text, ids };
}
