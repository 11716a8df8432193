import { CrewError } from '../errors.js';

/** Where a reader takes its variables from: the process environment, or a test's own record. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A number in [min, max], or `fallback` when the variable is unset or empty. */
export function readNumber(env: EnvSource, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Plain decimals only: Number() would read "0x10" as 16 and "1e3" as 1000.
  const n = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new CrewError('CREW_ERR_CONFIG', `${name}=${raw} is not a number between ${min} and ${max}`);
  }
  return n;
}

export function readFlag(raw: string | undefined): boolean {
  return raw === '1' || raw === 'true';
}

/** Comma- or space-separated values. */
export function readList(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter(Boolean);
}
