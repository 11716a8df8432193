import type { GoalScan } from './goal-scan.js';
import { matchesOf } from '../../util/regexps.js';

/**
 * `key_unit=value` pairs of a ticket ("memory_mb=32768", "disk_gb=200", "budget_usd=900") read as
 * the words a person would say: "memory 32768 mb", "disk 200 gb", "budget 900 usd". The rewrite
 * has the same length, so every later reader sees a size or an amount beside its noun.
 */
const KEY_UNIT = /\b([a-z]+)_(gb|gib|mb|mib|tb|usd)\s*=\s*(\d+(?:\.\d+)?)\b/g;

/** `instance_types=a,b`: a list key whose name holds an underscore reads as its words. */
const LIST_KEY = /\b(instance|vm)_(types?|template)\b/g;

/** `workers=3`, `gpu_workers=1`: a count key reads as the count before its noun ("3 workers", "1 gpu workers"). */
const COUNT_KEY =
  /(?<![\w-])(servers|masters|workers|agents|gpu_workers|gpu_agents|gpu_nodes)\s*=\s*(\d{1,4})(?![\w.])/g;

export function readKeyValues(scan: GoalScan): void {
  for (const m of matchesOf(COUNT_KEY, scan.rest)) {
    const [text, key = '', value = ''] = m;
    scan.rewrite(m.index, text.length, `${value} ${key.replace('_', ' ')}`);
  }
  for (const m of matchesOf(KEY_UNIT, scan.rest)) {
    const [text, key = '', unit = '', value = ''] = m;
    scan.rewrite(m.index, text.length, `${key} ${value} ${unit}`);
  }
  for (const m of matchesOf(LIST_KEY, scan.rest)) scan.rewrite(m.index, m[0].length, `${m[1]} ${m[2]}`);
}
