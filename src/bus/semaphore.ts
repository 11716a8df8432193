/** Counts handler slots; waiters are served in order. */
export class Semaphore {
  private used = 0;
  private readonly acquirers: Array<() => void> = [];
  private freeWaiters: Array<() => void> = [];

  constructor(readonly size: number) {}

  get free(): number {
    return this.size - this.used;
  }

  async acquire(): Promise<void> {
    if (this.used < this.size && this.acquirers.length === 0) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.acquirers.push(resolve));
  }

  release(): void {
    const next = this.acquirers.shift();
    // The slot passes straight to the next acquirer, so `used` stays the same.
    if (next) return next();
    this.used--;
    const waiters = this.freeWaiters;
    this.freeWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once at least one slot is free, without taking it. */
  async waitForFree(): Promise<void> {
    while (this.free === 0 || this.acquirers.length > 0) {
      await new Promise<void>((resolve) => this.freeWaiters.push(resolve));
    }
  }
}
