// Loader hook registered by record-loaded-modules.mjs (it runs on the loader's own thread).
import { appendFileSync } from 'node:fs';

const out = process.env.CREW_TEST_LOADED_MODULES;

export async function load(url, context, nextLoad) {
  if (out) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
