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

/** Goal parse per goal: back to back (baseline) and with three full collections before each. */
export function benchAtlas(rounds = 40): string {
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
  return [
    `atlas: ${GOALS.length} goals × ${rounds} rounds, median per goal`,
    `  back to back (baseline)                 ${t.toFixed(2)} ms`,
    `  after three full garbage collections    ${c.toFixed(2)} ms   ratio ${(c / t).toFixed(1)}×`,
    ...longGoalLines(),
  ].join('\n');
}

/**
 * Goals whose values, once read, leave long runs of blanks behind (every reader after sees
 * them): each read at 1,000 characters (the baseline) and at 4,000, the longest a goal may be.
 * Reading in linear time is about 4× the baseline; a pattern that rereads a run at every place
 * in it is about 16×.
 */
const LONG_GOALS: Array<[string, string]> = [
  ['spaces', `private Ollama on spot g4dn.xlarge ${' '.repeat(3950)} scale`],
  ['addresses', `private Ollama on spot g4dn.xlarge from ${'10.1.2.3/32 '.repeat(330)}`],
  ['instance types', `private Ollama on spot ${'g5.xlarge '.repeat(400)}`],
];

function longGoalLines(): string[] {
  const timeAny = (text: string) => {
    const started = performance.now();
    parseGoal(text, { defaults: DEFAULT_ATLAS_DEFAULTS });
    return performance.now() - started;
  };
  return LONG_GOALS.map(([name, goal]) => {
    const [short, long] = [1000, 4000].map((n) => {
      const text = goal.slice(0, n);
      timeAny(text);
      return median(Array.from({ length: 7 }, () => timeAny(text)));
    }) as [number, number];
    return `  a goal of ${name.padEnd(15)} 4,000 chars ${long.toFixed(1)} ms / 1,000 chars ${short.toFixed(1)} ms (baseline): ${(long / short).toFixed(1)}× (linear ≈ 4×)`;
  });
}
