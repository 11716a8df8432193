// `node --import <this file>`: writes the URL or path of every module the process loaded to the
// file named by CREW_TEST_LOADED_MODULES, so a test can see what a command loaded: ES modules as
// the loader hook sees them, CommonJS ones (require()d, also inside packages) from the cache at exit.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.CREW_TEST_LOADED_MODULES;
if (out) {
  register('./record-loaded-modules-hook.mjs', import.meta.url);
  process.on('exit', () => {
    // The CommonJS loader's cache: it has no public name.
    const required = Object.keys(Module._cache);
    if (required.length) appendFileSync(out, `${required.join('\n')}\n`);
  });
}
