import { randomBytes } from 'node:crypto';

// Everything the endpoint holds: one table per resource type, keyed by id (or name), plus
// the EC2 tags of each resource and how often each creating action succeeded.

export const ACCOUNT_ID = '123456789012';

export class EndpointState {
  readonly accountId = ACCOUNT_ID;
  /** The endpoint's clock: what "now" is for answers that depend on it (a scheduled action's next run). */
  readonly now: () => Date;
  private readonly tables = new Map<string, Map<string, unknown>>();
  /** EC2 tags by resource id. */
  readonly tags = new Map<string, Map<string, string>>();
  readonly createCounts: Record<string, number> = {};

  constructor(now: () => Date = () => new Date()) {
    this.now = now;
  }

  table<T>(type: string): Map<string, T> {
    let t = this.tables.get(type);
    if (!t) this.tables.set(type, (t = new Map()));
    return t as Map<string, T>;
  }

  put<T>(type: string, id: string, record: T): T {
    this.table<T>(type).set(id, record);
    return record;
  }

  get<T>(type: string, id: string | undefined): T | undefined {
    return id === undefined ? undefined : this.table<T>(type).get(id);
  }

  remove(type: string, id: string): boolean {
    this.tags.delete(id);
    return this.table(type).delete(id);
  }

  list<T>(type: string): T[] {
    return [...this.table<T>(type).values()];
  }

  /** Types that hold at least one resource, with their counts. */
  summary(): Record<string, number> {
    return Object.fromEntries([...this.tables.entries()].filter(([, t]) => t.size > 0).map(([k, t]) => [k, t.size]));
  }

  /** An id shaped like AWS's: `vpc-0a1b2c3d4e5f67890`. */
  newId(prefix: string): string {
    return `${prefix}-0${randomBytes(8).toString('hex').slice(0, 16)}`;
  }

  countCreate(action: string): void {
    this.createCounts[action] = (this.createCounts[action] ?? 0) + 1;
  }

  tagsOf(id: string): Map<string, string> {
    let t = this.tags.get(id);
    if (!t) this.tags.set(id, (t = new Map()));
    return t;
  }

  clear(): void {
    this.tables.clear();
    this.tags.clear();
    for (const k of Object.keys(this.createCounts)) delete this.createCounts[k];
  }
}
