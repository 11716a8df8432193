import { readFile } from 'node:fs/promises';
import { CrewError } from '../../../errors.js';
import type { UsageFile } from './usage-for.js';

/** Reads and checks an Infracost usage file (CREW_USAGE_FILE). */
export async function loadUsageFile(path: string): Promise<UsageFile> {
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new CrewError('CREW_ERR_BAD_INPUT', `cannot read usage file ${path}: ${err.message}`);
  });
  // The YAML parser only when there is a usage file.
  const { parseUsageFile } = await import('./read-usage-file.js');
  const r = parseUsageFile(text, path);
  if (!r.ok) throw new CrewError('CREW_ERR_BAD_INPUT', r.reason);
  return r.usage;
}
