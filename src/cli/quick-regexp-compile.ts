import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings a `crew` process runs with: regular expressions compiled to bytecode without the
 * peephole pass. V8 interprets a pattern's bytecode on its first runs and compiles it to machine
 * code once it runs again, so that pass speeds up only a pattern's first runs — and costs more
 * than it saves for the long word-list patterns a goal is read with: a first read of a goal
 * measured 66–73 ms with it and 36–52 ms without, and a `crew plan` reached `terraform init`
 * 20–30 ms sooner in alternating runs (the read is on its path).
 *
 * Set once, when the process starts, never switched back: a pattern compiled before keeps its
 * bytecode, every later one is compiled the same way (test/integration/cli/quick-regexp-compile.test.ts
 * shows V8 takes the setting).
 */
export const CREW_V8_FLAGS = ['--no-regexp-peephole-optimization'] as const;

export function applyCrewV8Flags(): void {
  for (const flag of CREW_V8_FLAGS) setFlagsFromString(flag);
}
