import type { Redis } from 'ioredis';
import { CrewError } from '../errors.js';

/** One settled entry: acked, with the artifact's done marker set unless it was a known duplicate. */
export interface Settled {
  entryId: string;
  /** The done marker to set (PX ttl, NX); absent for a duplicate whose marker exists already. */
  marker?: string;
  /** The entry failed before here: drop its failure count with the ack. */
  clearFailures: boolean;
}

interface Waiting {
  item: Settled;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AckBatchKeys {
  stream: string;
  group: string;
  failures: string;
}

/**
 * Acks settled entries of one group in batches: each batch is one MULTI/EXEC of the done
 * markers (SET NX PX), one XACK of every id and, where needed, one HDEL of their failure
 * counts. A transaction, so no entry is ever acked without its marker or marked while
 * still pending. Entries settled while a batch is on its way form the next one (group
 * commit): a lone entry waits for no timer. Every key carries `{stream}`: one cluster slot.
 */
export class AckBatch {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: AckBatchKeys,
    private readonly markerTtlMs: number,
    private readonly retrying: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  /** Resolves once the entry's ack (and marker) has landed. */
  add(item: Settled): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    // Entries settled in the same turn of the event loop join this batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.retrying(() => this.commit(batch.map((w) => w.item)));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.flushing = false;
  }

  private async commit(items: readonly Settled[]): Promise<void> {
    const { stream, group, failures } = this.keys;
    const tx = this.redis.multi();
    for (const i of items) if (i.marker) tx.set(i.marker, i.entryId, 'PX', this.markerTtlMs, 'NX');
    tx.xack(stream, group, ...items.map((i) => i.entryId));
    const failed = items.filter((i) => i.clearFailures).map((i) => i.entryId);
    if (failed.length > 0) tx.hdel(failures, ...failed);
    const replies = await tx.exec();
    if (replies === null) throw new CrewError('CREW_ERR_REDIS', `ack of ${items.length} entries was aborted`);
    const err = replies.find(([e]) => e)?.[0];
    if (err) throw err;
  }
}
