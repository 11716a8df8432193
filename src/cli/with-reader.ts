import { openReader, type CrewReader } from '../runtime/open-reader.js';
import type { CliIo } from './cli-io.js';

/**
 * Reads the crew's stores for one command and closes them: no agents, no bus, no consumer
 * group joined, so `crew status` and its kind answer at once and leave Redis as they found it.
 */
export async function withReader<T>(io: CliIo, fn: (r: CrewReader) => Promise<T>): Promise<T> {
  const reader = await openReader();
  io.err(reader.redisDescription);
  try {
    return await fn(reader);
  } finally {
    await reader.close();
  }
}
