/** A small seeded PRNG (mulberry32): the same seed replays the same chaos decisions. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** `count` distinct integers from [0, n). */
  sample(n: number, count: number): Set<number> {
    const out = new Set<number>();
    while (out.size < Math.min(count, n)) out.add(this.int(0, n - 1));
    return out;
  }
}

/** CHAOS_SEED when set (to replay a failure), else a fresh one. */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CHAOS_SEED;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
      throw new Error(`CHAOS_SEED=${raw} is not an integer in [0, 2^32)`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
