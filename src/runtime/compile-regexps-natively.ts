import { setFlagsFromString } from 'node:v8';

/**
 * From now on V8 compiles each regular expression straight to machine code at its first use.
 * For a one-shot command (crew plan, crew approve) once it has loaded its code; a long-running
 * process keeps V8's default.
 *
 * By default V8 compiles a pattern's first use to bytecode for its interpreter, and its next
 * use again to machine code: right for a long-running process, where the patterns made from a
 * goal's own words are used once and the code's own are compiled once and kept
 * (src/util/regexps.ts). A one-shot process meets every pattern for the first time, and Atlas
 * reads a goal with ~190 of them, most used more than once: compiled twice each, a fresh
 * process's first read took 60–110 ms, and ~30 ms compiled once. Set at start instead, Node's
 * module loader's own patterns (used once or twice each) were compiled to machine code too,
 * which cost start-up about what it saved Atlas.
 *
 * One way only: V8 does not expect this setting to change while it runs, and a process that
 * turned it back on after using patterns compiled this way crashed (a segmentation fault).
 * Patterns already used keep how they were compiled. What a pattern matches never changes.
 */
export function compileRegexpsNatively(): void {
  setFlagsFromString('--no-regexp-tier-up');
}
