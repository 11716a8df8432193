import { readFile } from 'node:fs/promises';
import { CrewError } from '../../../errors.js';
import type { OrgPolicy } from './policy-types.js';

/** Reads and checks the org policy file (CREW_POLICY_FILE); a mistake is reported with its line. */
export async function loadPolicy(path: string | undefined): Promise<OrgPolicy | undefined> {
  if (!path) return undefined;
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new CrewError('CREW_ERR_POLICY', `cannot read policy file ${path}: ${err.message}`);
  });
  // The YAML parser only when there is a policy file: most commands start without one.
  const { parsePolicy } = await import('./parse-policy.js');
  const r = parsePolicy(text, path);
  if (!r.ok) throw new CrewError('CREW_ERR_POLICY', r.reason);
  return r.policy;
}
