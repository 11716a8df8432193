import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `crew` command a person runs (bin/crew.js: the bundled CLI), or CREW_BENCH_CLI. */
export function cliMain(): string {
  return process.env.CREW_BENCH_CLI ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'crew.js');
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

/** Nearest-rank percentile of `xs` (0 < p ≤ 1). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
