import type { Redis } from 'ioredis';
import { CrewError } from '../errors.js';
import type { LuaScript } from './define-script.js';
import { keysOutsideSlot } from './hash-slot.js';

/**
 * Runs one of the crew's Lua scripts (lua-scripts.ts): EVALSHA, falling back to EVAL after a
 * restart emptied Redis's script cache. Data reaches a script only as KEYS and ARGV.
 *
 * Its keys must share one Redis Cluster slot. That is checked here on every Redis, so a script
 * called with keys of different hash tags fails the tests on a single server too, not only in
 * production on a cluster (where Redis would answer CROSSSLOT).
 */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys)
    throw new Error(`Lua script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  const outside = keysOutsideSlot(keys);
  if (outside.length > 0)
    throw new CrewError(
      'CREW_ERR_REDIS',
      `Lua script ${script.name}: ${outside.join(', ')} not in the hash slot of ${keys[0]} (give them one {tag})`,
    );
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
