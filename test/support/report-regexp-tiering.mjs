// `node --import <this file>`: at exit, writes to the file named by CREW_TEST_REGEXP_TIERING
// whether a pattern first used then was compiled to bytecode for V8's interpreter (V8's default
// tiering) or straight to machine code. V8's own test hook tells, once natives syntax is allowed.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const out = process.env.CREW_TEST_REGEXP_TIERING;
if (out) {
  process.on('exit', () => {
    setFlagsFromString('--allow-natives-syntax');
    const hasBytecode = new Function('re', 'return %RegexpHasBytecode(re, true)');
    const re = new RegExp(`stack\\s+probe-${process.pid}\\b`);
    const matched = re.test(`private Ollama on spot, stack probe-${process.pid}`);
    writeFileSync(out, JSON.stringify({ matched, bytecode: hasBytecode(re) }));
  });
}
