import { createRequire } from 'node:module';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

export type Cedar = typeof CedarWasm;

let cedar: Cedar | undefined;

/** Cedar's WebAssembly module, loaded on first use (the CLI's quick commands never pay for it). */
export function loadCedar(): Cedar {
  cedar ??= createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as Cedar;
  return cedar;
}
