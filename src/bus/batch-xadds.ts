import type { Redis } from 'ioredis';

interface Queued {
  key: string;
  fields: string[];
  resolve: (id: string | null) => void;
  reject: (err: unknown) => void;
}

/**
 * XADDs asked for in the same turn of the event loop (a burst of publishes) go to Redis as one
 * pipeline — one write to the socket instead of one per entry — and each caller still gets its
 * own entry id or error, in the order they asked. A lone XADD goes as it is. Every bus key
 * carries the `{stream}` hash tag, so on a Redis Cluster a batch goes to one node.
 */
export class XaddBatcher {
  private queue: Queued[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly maxLen: number,
  ) {}

  /** XADD key MAXLEN ~ maxLen * ...fields; resolves with the entry id. */
  add(key: string, fields: string[]): Promise<string | null> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ key, fields, resolve, reject }) === 1) process.nextTick(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 1) {
      const [one] = batch as [Queued];
      this.redis.xadd(one.key, 'MAXLEN', '~', this.maxLen, '*', ...one.fields).then(one.resolve, one.reject);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const q of batch) pipeline.xadd(q.key, 'MAXLEN', '~', this.maxLen, '*', ...q.fields);
    pipeline.exec().then(
      (results) =>
        batch.forEach((q, i) => {
          const [err, id] = results?.[i] ?? [new Error('the pipeline returned no reply for this XADD'), null];
          if (err) q.reject(err);
          else q.resolve(id as string | null);
        }),
      (err: unknown) => batch.forEach((q) => q.reject(err)),
    );
  }
}
