// Bundles the compiled CLI (dist/src/cli/main.js) and the packages it imports into
// dist/bundle/: far fewer files to find, read and compile than the ~700 modules, which is most of what a command
// spent before its first real step. Commands stay lazy: each dynamic import is a chunk of its
// own, loaded only by the command that needs it. dist/bundle/meta.json says which sources
// (packages included) each chunk holds, so a test can tell what a command loaded.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

// Chunks are named by their content: without this, every build would leave the last one's beside its own.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages that find files beside themselves at run time (a wasm module, a native addon) or
  // are loaded through createRequire stay in node_modules.
  external: ['@cedar-policy/cedar-wasm', '@resvg/resvg-js', 'compromise'],
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __crewRequire } from 'node:module'; const require = __crewRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
