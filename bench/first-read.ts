import { parseGoal } from '../src/agents/atlas/parse-goal.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../src/agents/atlas/default-atlas-defaults.js';
import { compileRegexpsNatively } from '../src/runtime/compile-regexps-natively.js';

// Run by the `atlas` bench part in a fresh process: Atlas's first read of a goal, as a one-shot
// command does it (`native`: patterns compiled straight to machine code, as crew plan sets once
// its code is loaded) or with V8's default tiering (`default`). Prints the read's time in ms.

const mode = process.argv[2];
if (mode !== 'native' && mode !== 'default') throw new Error('usage: first-read.js native|default <goal>');
const goal = process.argv[3] ?? 'private Ollama on spot g4dn.xlarge, stack bench-a';
if (mode === 'native') compileRegexpsNatively();
const started = performance.now();
const read = parseGoal(goal, { defaults: DEFAULT_ATLAS_DEFAULTS });
const ms = performance.now() - started;
if (read.kind !== 'spec') throw new Error(`bench goal did not parse (${read.kind}): ${goal}`);
process.stdout.write(`${ms}\n`);
