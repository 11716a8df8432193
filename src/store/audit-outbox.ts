import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { auditOutboxKey } from '../redis/keys.js';
import type { AuditRow, AuditSink } from './audit-sink.js';
import { insertAuditRows } from './insert-audit-rows.js';

export interface AuditOutboxOptions {
  redis: Redis;
  pool: Pool;
  prefix?: string;
  /** Told when PostgreSQL refused a batch; the rows stay in the outbox and are retried. */
  onError?: (err: unknown, retryInMs: number) => void;
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often rows left by other processes (or a crash) are looked for. */
  sweepMs?: number;
}

/**
 * The audit sink for PostgreSQL: a row goes to an outbox list in Redis first (where the plan
 * already is), then a background drain copies it to crew_audit and removes it. While PostgreSQL
 * is down rows wait in Redis and the drain retries with backoff; a row drained twice (two
 * processes) is one row in the table.
 */
export class AuditOutbox implements AuditSink {
  private readonly o: Required<Omit<AuditOutboxOptions, 'onError'>> & Pick<AuditOutboxOptions, 'onError'>;
  private readonly key: string;
  private draining: Promise<void> | undefined;
  private again = false;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: AuditOutboxOptions) {
    this.o = { prefix: 'crew', batchSize: 100, minBackoffMs: 250, maxBackoffMs: 30_000, sweepMs: 5_000, ...options };
    this.key = auditOutboxKey(this.o.prefix);
    this.schedule(0);
  }

  async append(row: AuditRow): Promise<void> {
    await this.o.redis.rpush(this.key, JSON.stringify(row));
    if (!this.closing) void this.drain();
  }

  /** Rows waiting for PostgreSQL. */
  pending(): Promise<number> {
    return this.o.redis.llen(this.key);
  }

  /** Copies what the outbox holds to PostgreSQL; resolves when it is empty or PostgreSQL failed. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drainAll().finally(() => {
      this.draining = undefined;
      if (this.again && !this.closing) {
        this.again = false;
        void this.drain();
      }
    });
    return this.draining;
  }

  private async drainAll(): Promise<void> {
    try {
      for (;;) {
        const raw = await this.o.redis.lrange(this.key, 0, this.o.batchSize - 1);
        if (raw.length === 0) break;
        await insertAuditRows(
          this.o.pool,
          raw.map((r) => JSON.parse(r) as AuditRow),
        );
        // By value: another process draining the same rows removes each at most once.
        const tx = this.o.redis.multi();
        for (const r of raw) tx.lrem(this.key, 1, r);
        await tx.exec();
      }
      this.backoffMs = 0;
      this.schedule(this.o.sweepMs);
    } catch (err) {
      this.backoffMs = Math.min(this.o.maxBackoffMs, Math.max(this.o.minBackoffMs, this.backoffMs * 2));
      this.o.onError?.(err, this.backoffMs);
      this.schedule(this.backoffMs);
    }
  }

  private schedule(ms: number): void {
    if (this.closing) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), ms);
    this.timer.unref();
  }

  /** Stops the background drain after one last attempt; rows PostgreSQL did not take stay in Redis. Safe twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      await this.draining;
      this.again = false;
      const last = this.drainAll();
      await last;
      clearTimeout(this.timer);
    })();
    return this.closing;
  }
}
