#!/usr/bin/env node
// Entry point of the `crew` command: runs the compiled CLI.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('crew is not built yet: run `npm run build` in the infracrew directory\n');
  process.exit(1);
}
await import(pathToFileURL(main).href);
