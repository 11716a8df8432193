import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One script file of src/redis/lua: `<name>-<number of keys>.lua`. */
export interface LuaSource {
  file: string;
  name: string;
  numberOfKeys: number;
  source: string;
}

const FILE_NAME = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)-(\d+)\.lua$/;

/** Every .lua file in `dir`, by name; a file named otherwise is an error. */
export function readLuaSources(dir: string): LuaSource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .sort()
    .map((file) => {
      const m = FILE_NAME.exec(file);
      if (!m) throw new Error(`${file}: a Lua script is named <kebab-name>-<number of keys>.lua`);
      return { file, name: m[1]!, numberOfKeys: Number(m[2]), source: readFileSync(join(dir, file), 'utf8') };
    });
}

const constantName = (name: string): string => name.toUpperCase().replaceAll('-', '_');

/**
 * The TypeScript module holding the scripts (lua-scripts.ts). Generated rather than read at
 * run time: tsc copies no .lua files into dist/, and the Docker image ships dist/ alone.
 */
export function renderScriptModule(sources: readonly LuaSource[]): string {
  const lines = [
    '// Generated from src/redis/lua/*.lua by `npm run redis:scripts`: edit the .lua files, not this one.',
    '// test/unit/architecture/redis-layer.test.ts fails while the two differ.',
    "import { defineScript } from './define-script.js';",
    '',
    ...sources.map(
      (s) =>
        `export const ${constantName(s.name)} = defineScript(${JSON.stringify(s.name)}, ${s.numberOfKeys}, ${JSON.stringify(s.source)});`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
