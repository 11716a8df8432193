import type { Redis } from 'ioredis';
import type { LuaScript } from './define-script.js';

/**
 * Runs one of the crew's Lua scripts (lua-scripts.ts): EVALSHA, falling back to EVAL after a
 * restart emptied Redis's script cache. Data reaches a script only as KEYS and ARGV.
 */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys)
    throw new Error(`Lua script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
