import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings a `crew` process runs with: regular expressions compiled to bytecode without the
 * peephole pass. V8 interprets a pattern's bytecode on its first runs and compiles it to machine
 * code once it runs again, so the pass speeds up only a pattern's first runs, and it costs more
 * than it saves for the long word-list patterns a goal is read with: a fresh process's first read
 * of a goal took 66, 73 and 126 ms with it and 36, 40 and 52 ms without, and `crew plan` reached
 * `terraform init` 20–30 ms sooner (alternating runs; the read is on its path).
 *
 * Set once, when the process starts, and never switched back (V8 does not expect its settings to
 * change back and forth while it runs): a pattern compiled before keeps its bytecode, every later
 * one is compiled without the pass. test/e2e/cli/quick-regexp-compile.test.ts reads V8's trace of
 * the pass to show the setting is taken.
 */
const CREW_V8_FLAGS = ['--no-regexp-peephole-optimization'] as const;

export function applyCrewV8Flags(): void {
  for (const flag of CREW_V8_FLAGS) setFlagsFromString(flag);
}
