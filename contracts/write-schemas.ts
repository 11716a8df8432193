import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSchemas } from './render-schemas.js';

// Writes contracts/json/*.schema.json, the language-neutral copy of the contracts.
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'contracts', 'json');
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(renderSchemas())) writeFileSync(join(outDir, file), text);
console.log(`wrote ${Object.keys(renderSchemas()).length} schemas to ${outDir}`);
