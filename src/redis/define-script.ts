import { createHash } from 'node:crypto';

/** A Lua script with the number of keys it takes; sent by SHA (see run-script.ts). */
export interface LuaScript {
  /** The file it comes from, without `-<keys>.lua`: `move-plan` for lua/move-plan-2.lua. */
  name: string;
  /** How many of its arguments are keys (the number in its file name). */
  numberOfKeys: number;
  source: string;
  sha: string;
}

export function defineScript(name: string, numberOfKeys: number, source: string): LuaScript {
  return { name, numberOfKeys, source, sha: createHash('sha1').update(source).digest('hex') };
}
