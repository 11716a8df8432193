import type { GoalScan } from './goal-scan.js';
import { matchesOf } from '../../util/regexps.js';

/**
 * The nouns the readers look for. A word one slip away from one of them ("instnaces", "budjet",
 * "sevrers", "wokers", "proxmx") reads as that noun, as a person reads it. Only these nouns are
 * corrected, never a value: names, numbers and words with digits, dots or dashes stay as written.
 */
const NOUNS = [
  'instances',
  'instance',
  'budget',
  'servers',
  'server',
  'workers',
  'worker',
  'agents',
  'proxmox',
  'schedule',
  'weekends',
  'weekend',
  'template',
  'control',
  'record',
  'records',
  'memory',
  'region',
  'volume',
  'bridge',
  'cluster',
];
/** A correction longer than the typo is written as a shorter word the readers take the same way. */
const SHORTER: Record<string, string> = {
  control: 'ctrl',
  proxmox: 'pve',
  workers: 'worker',
  servers: 'server',
  instances: 'instance',
};
/** Real words one slip away from a noun: never corrected. */
const WORDS = new Set([
  'served',
  'serves',
  'severs',
  'worked',
  'scheduled',
  'scheduler',
  'schedulers',
  'budgets',
  'recorded',
  'recorder',
  'templated',
  'agent',
  'agency',
  'clusters',
  'volumes',
  'bridged',
  'regions',
]);

/** Optimal string alignment distance, capped at 2 (only "one slip" matters). */
function slips(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
    }
  return (d[a.length] as number[])[b.length] ?? 2;
}

export function readTypos(scan: GoalScan): void {
  for (const m of matchesOf(/(?<![\w.@/-])[a-z]{5,12}(?![\w.@/-])/g, scan.rest)) {
    const word = m[0];
    if (NOUNS.includes(word) || WORDS.has(word)) continue;
    const noun = NOUNS.find((n) => n[0] === word[0] && slips(word, n) === 1);
    if (!noun) continue;
    const text = noun.length <= word.length ? noun : SHORTER[noun];
    // Written at the end of the word, so "contol plane" reads "  ctrl plane", the role noun whole.
    if (text !== undefined && text.length <= word.length)
      scan.rewrite(m.index, word.length, text.padStart(word.length));
  }
}
