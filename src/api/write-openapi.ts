import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOpenApi } from './render-openapi.js';

// Writes docs/openapi.json, the committed copy of what GET /api/v1/openapi.json serves.
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'openapi.json');
writeFileSync(out, await renderOpenApi());
console.log(`wrote ${out}`);
