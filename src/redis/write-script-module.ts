import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLuaSources, renderScriptModule } from './render-script-module.js';

// Writes src/redis/lua-scripts.ts from src/redis/lua/*.lua (run from dist/ by `npm run redis:scripts`).
const source = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'redis');
const scripts = readLuaSources(join(source, 'lua'));
writeFileSync(join(source, 'lua-scripts.ts'), renderScriptModule(scripts));
console.log(`wrote ${scripts.length} scripts to ${join(source, 'lua-scripts.ts')}`);
