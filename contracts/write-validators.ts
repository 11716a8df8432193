import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderValidators } from './render-validators.js';

// Writes contracts/compiled-validators.ts (run from dist/ by `npm run contracts:validators`).
const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'contracts', 'compiled-validators.ts');
writeFileSync(file, renderValidators());
console.log(`wrote ${file}`);
