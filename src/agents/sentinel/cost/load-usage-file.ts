import { readFile } from 'node:fs/promises';
import { CrewError } from '../../../errors.js';
import { parseUsageFile, type UsageFile } from './read-usage-file.js';

/** Reads and checks an Infracost usage file (CREW_USAGE_FILE). */
export async function loadUsageFile(path: string): Promise<UsageFile> {
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new CrewError('CREW_ERR_BAD_INPUT', `cannot read usage file ${path}: ${err.message}`);
  });
  const r = parseUsageFile(text, path);
  if (!r.ok) throw new CrewError('CREW_ERR_BAD_INPUT', r.reason);
  return r.usage;
}
