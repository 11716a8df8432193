#!/usr/bin/env node
// Entry point of the `crew` command: runs the bundled CLI (dist/bundle, made by `npm run build`),
// or the compiled one when the bundle is missing or older than the last compile.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const compiled = join(dist, 'src', 'cli', 'main.js');
const bundled = join(dist, 'bundle', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write('crew is not built yet: run `npm run build` in the infracrew directory\n');
  process.exit(1);
}
const fresh = existsSync(bundled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;
await import(pathToFileURL(fresh ? bundled : compiled).href);
