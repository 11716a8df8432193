import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLuaSources, renderScriptModule } from '../../../src/redis/render-script-module.js';
import { readImportGraph, ROOT } from '../../support/import-graph.js';

// The Redis layer is src/redis: the Lua scripts (lua/<name>-<keys>.lua, compiled into
// lua-scripts.ts), the one runner that sends them (run-script.ts) and every key builder
// (keys.ts). The stores (src/store, one class per concern) and the bus (src/bus) run Redis
// commands through it; every other folder reaches Redis only through a store or the bus and
// holds a client just to pass it on, open it or close it.

const REDIS_LAYER = 'src/redis/';
const REDIS_ACCESS = ['src/redis/', 'src/store/', 'src/bus/'];
const KEY_MODULE = 'src/redis/keys.ts';
const SCRIPT_MODULE = 'src/redis/lua-scripts.ts';
const LUA_DIR = join(ROOT, 'src', 'redis', 'lua');
/** What code outside the stores and the bus may do with a Redis client. */
const LIFECYCLE = new Set(['connect', 'disconnect', 'quit', 'duplicate', 'on', 'once', 'off']);

type Sources = Record<string, string>;

const read = (dirs: string[]): Sources =>
  Object.fromEntries(readImportGraph(dirs).files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const all = read(['src', 'handlers', 'contracts', 'bench']);
const product = read(['src', 'handlers']);
const inside = (file: string, folders: string[]) => folders.some((f) => file.startsWith(f));

/** Scripts defined or sent (defineCommand, EVAL/EVALSHA, defineScript) outside src/redis. */
function scriptUsesOutside(files: Sources): string[] {
  const use =
    /\bdefineCommand\b|\.eval(?:sha)?(?:_ro)?\s*\(|\bdefineScript\s*\(|\.call\(\s*['"](?:eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro|script|function)['"]/i;
  return Object.entries(files)
    .filter(([f, text]) => !inside(f, [REDIS_LAYER]) && use.test(text))
    .map(([f]) => f);
}

/** `…redis.<command>(` outside the stores, the bus and src/redis. */
function commandsOutside(files: Sources): string[] {
  const out: string[] = [];
  for (const [f, text] of Object.entries(files)) {
    if (inside(f, REDIS_ACCESS)) continue;
    for (const m of text.matchAll(/\b\w*redis\)?\??\s*\.\s*([a-zA-Z]\w*)\s*\(/gi))
      if (!LIFECYCLE.has(m[1]!)) out.push(`${f}: ${m[0]}`);
  }
  return out;
}

/** Template strings that build a key (`${prefix}:…` or a `{…}` hash tag) outside keys.ts. */
function keyBuildersOutside(files: Sources): string[] {
  const out: string[] = [];
  for (const [f, text] of Object.entries(files)) {
    if (f === KEY_MODULE) continue;
    for (const [t] of text.matchAll(/`[^`\n]*\$\{[^`\n]*`/g))
      if (t.includes(':{') || /\$\{[^}]*prefix[^}]*\}:/i.test(t)) out.push(`${f}: ${t}`);
  }
  return out;
}

/** Lua with the comments taken out, so only code counts. */
const luaCode = (source: string) => source.replace(/--\[\[[\s\S]*?\]\]/g, '').replace(/--[^\n]*/g, '');

describe('the Redis layer (src/redis)', () => {
  it('is the only place scripts are defined or sent: no defineCommand, EVAL or defineScript elsewhere', () => {
    expect(scriptUsesOutside(all)).toEqual([]);
    expect(Object.keys(all).filter((f) => /\.eval(?:sha)?\s*\(/.test(all[f]!))).toEqual(['src/redis/run-script.ts']);
  });

  it('holds every Lua script as a .lua file; no TypeScript source carries Lua of its own', () => {
    // KEYS[n] and ARGV[n] are Lua's: a TypeScript file that names them carries a script.
    expect(Object.keys(all).filter((f) => f !== SCRIPT_MODULE && /\b(?:KEYS|ARGV)\[/.test(all[f]!))).toEqual([]);
  });

  it('compiles the .lua files into lua-scripts.ts, which is up to date (npm run redis:scripts)', () => {
    expect(all[SCRIPT_MODULE]).toBe(renderScriptModule(readLuaSources(LUA_DIR)));
  });

  it('names each script with the number of keys it uses: KEYS[1] … KEYS[n], literal indexes only', () => {
    const scripts = readLuaSources(LUA_DIR);
    expect(scripts.length).toBeGreaterThan(10);
    for (const s of scripts) {
      const code = luaCode(s.source);
      expect(code, s.file).not.toMatch(/KEYS\[[^\]0-9]/);
      const used = [...new Set([...code.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      expect(used, s.file).toEqual(Array.from({ length: s.numberOfKeys }, (_, i) => i + 1));
    }
  });

  it('builds every key in src/redis/keys.ts', () => {
    expect(keyBuildersOutside(product)).toEqual([]);
  });

  it('is the way to Redis: outside the stores and the bus a client is only passed on, opened or closed', () => {
    expect(commandsOutside(product)).toEqual([]);
  });

  it('catches a script, a command and a key built outside the layer when one is added', () => {
    const planted: Sources = {
      'src/agents/x.ts': "await redis.eval(SCRIPT, 1, key);\nthis.redis.defineCommand('x', { numberOfKeys: 1, lua });",
      'src/slack/y.ts': "await o.redis\n  .set(`${prefix}:slack:${key}`, '1');",
      'src/conductor/z.ts': 'const k = `crew:plan:{${id}}:applied`; await redis.quit();',
      'src/store/w.ts': "await this.redis.get(key); await this.redis.call('EVAL', s, 0);",
    };
    expect(scriptUsesOutside(planted)).toEqual(['src/agents/x.ts', 'src/store/w.ts']);
    expect(commandsOutside(planted)).toEqual([
      'src/agents/x.ts: redis.eval(',
      'src/agents/x.ts: redis.defineCommand(',
      'src/slack/y.ts: redis\n  .set(',
    ]);
    expect(keyBuildersOutside(planted)).toEqual([
      'src/slack/y.ts: `${prefix}:slack:${key}`',
      'src/conductor/z.ts: `crew:plan:{${id}}:applied`',
    ]);
  });
});
