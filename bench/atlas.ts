import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseGoal } from '../src/agents/atlas/parse-goal.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../src/agents/atlas/default-atlas-defaults.js';
import { median } from './bench-util.js';

// A running crew collects garbage between any two goals. V8 keeps a regular expression's
// compiled code on its object, so a parse that made its patterns again after a collection
// compiled them again: this part reads the same goals with full collections between them,
// next to the same goals read back to back (the baseline, in the same run).

const GOALS = [
  'private Ollama on spot g4dn.xlarge, stack bench-a, off on weekends, budget $300/month',
  'Add DNS record api.lab.local to 192.168.1.100',
  'k3s on proxmox with 3 servers and 2 workers, one with a GPU',
  'weekend schedule for asg ollama-dev-asg in Europe/Berlin',
];

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector (--expose-gc refused)');
  return gc;
}

function timeParse(text: string): number {
  const started = performance.now();
  const read = parseGoal(text, { defaults: DEFAULT_ATLAS_DEFAULTS });
  const ms = performance.now() - started;
  if (read.kind !== 'spec') throw new Error(`bench goal did not parse (${read.kind}): ${text}`);
  return ms;
}

const FIRST_READ = join(dirname(fileURLToPath(import.meta.url)), 'first-read.js');

/** A fresh process's first read of `goal`, in ms (bench/first-read.ts). */
function firstRead(mode: 'native' | 'default', goal: string): number {
  return Number(execFileSync(process.execPath, [FIRST_READ, mode, goal], { encoding: 'utf8' }).trim());
}

/**
 * Goal parse per goal: back to back (baseline) and with three full collections before each; then
 * a fresh process's first read, with V8's default tiering (baseline) and compiled straight to
 * machine code as a one-shot command does (src/runtime/compile-regexps-natively.ts).
 */
export function benchAtlas(rounds = 40, fresh = 9): string {
  const gc = collector();
  for (let i = 0; i < 20; i++) for (const g of GOALS) timeParse(g);
  const tight: number[] = [];
  const collected: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const g of GOALS) tight.push(timeParse(g));
    for (const g of GOALS) {
      gc();
      gc();
      gc();
      collected.push(timeParse(g));
    }
  }
  const [t, c] = [median(tight), median(collected)];
  // Alternating, so both see the same machine.
  const byDefault: number[] = [];
  const natively: number[] = [];
  for (let i = 0; i < fresh; i++) {
    const goal = GOALS[i % GOALS.length] as string;
    byDefault.push(firstRead('default', goal));
    natively.push(firstRead('native', goal));
  }
  const [d, n] = [median(byDefault), median(natively)];
  return [
    `atlas: ${GOALS.length} goals × ${rounds} rounds, median per goal`,
    `  back to back (baseline)                 ${t.toFixed(2)} ms`,
    `  after three full garbage collections    ${c.toFixed(2)} ms   ratio ${(c / t).toFixed(1)}×`,
    `a fresh process's first read (a one-shot command), median of ${fresh} each`,
    `  V8's default tiering (baseline)         ${d.toFixed(1)} ms`,
    `  compiled straight to machine code       ${n.toFixed(1)} ms   ratio ${(n / d).toFixed(2)}`,
  ].join('\n');
}
