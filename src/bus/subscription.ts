import type { Redis } from 'ioredis';
import { clusterOf, connectionForKey, slotsKnown } from '../redis/cluster-client.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { toRawEntries } from './parse-entry.js';
import { failureBackoff, pause } from './pause.js';
import {
  autoclaimIdle,
  listOwnPending,
  reapDeadConsumers,
  removeIdleConsumer,
  type GroupRef,
} from './recover-pending.js';
import { createGroup } from './create-group.js';
import { Semaphore } from './semaphore.js';
import { EntrySettler, type Delivery, type SettleContext } from './settle-entry.js';
import { streamKey } from '../redis/keys.js';

export interface SubscriptionOptions extends SettleContext {
  consumerName: string;
  concurrency: number;
  blockMs: number;
  claimIdleMs: number;
  retryIntervalMs: number;
  recoverIntervalMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** Settles once this consumer's liveness key is written. */
  ready: Promise<void>;
}

/**
 * The connection a subscription's blocking reads go on: its own, since they would stall every
 * other command on a shared one. On a single server without ioredis's ready check (an INFO for
 * each reader, twelve for a crew): the command connection it is made from has passed that check,
 * and a read that meets Redis still loading its data after a restart is answered LOADING and
 * retried like any failed read. A Cluster's copy keeps the Cluster's options as they are.
 */
function readerConnection(redis: Redis): Redis {
  return clusterOf(redis) ? redis.duplicate() : redis.duplicate({ enableReadyCheck: false });
}

/**
 * One consumer in one group: a blocking read loop on its own connection, and a maintenance
 * loop on the shared one that retries this consumer's failed entries and adopts those of
 * dead consumers. Handlers run through a semaphore of `concurrency` slots.
 */
export class Subscription {
  private readonly ref: GroupRef;
  private readonly reader: Redis;
  private readonly slots: Semaphore;
  private readonly settler: EntrySettler;
  private readonly log: Logger;
  /** Entries read or claimed here and not yet settled; the retry pass leaves them alone. */
  private readonly local = new Set<string>();
  private readonly tasks = new Set<Promise<void>>();
  private readerId: number | undefined;
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.wake = resolve));
  private prepared: Promise<void> | undefined;
  private loops: Array<Promise<void>> = [];
  /**
   * Whether entries may be pending on this consumer outside the read loop's hands (a failed
   * handler, entries taken over, a read whose reply was lost). The retry pass asks Redis
   * (XPENDING) only then, and once per recovery interval whatever: an idle consumer stays quiet.
   */
  private ownPending = true;
  private nextPendingCheck = 0;

  constructor(private readonly opts: SubscriptionOptions) {
    this.ref = {
      prefix: opts.prefix,
      stream: streamKey(opts.prefix, opts.topic),
      group: opts.group,
      me: opts.consumerName,
    };
    this.log = opts.logger;
    this.slots = new Semaphore(opts.concurrency);
    this.settler = new EntrySettler(opts);
    this.reader = readerConnection(opts.redis);
    this.reader.on('error', (err: Error) => this.log.debug({ err }, 'bus reader connection error'));
    this.reader.on('close', () => (this.readerId = undefined));
  }

  start(): void {
    this.loops = [this.readLoop(), this.maintainLoop()];
  }

  /** Stops reading, waits for in-flight handlers (and their acks), closes the reader. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    // A read stuck on a dead connection must not hold close() forever.
    const guard = setTimeout(() => this.reader.disconnect(), this.opts.blockMs + 1_000);
    let settled = false;
    const loops = Promise.allSettled(this.loops).then(() => (settled = true));
    // Ends the blocked XREADGROUP now, as if it timed out, so nothing is delivered and dropped.
    // Asked again until the loops end: a read sent just before `stopping` was set may reach the
    // server after the first UNBLOCK, and would otherwise hold close() for a whole block.
    while (!settled) {
      await this.unblockReader();
      // The pause ends with the loops (its timer cleared), so nothing keeps the process alive.
      await pause(50, loops);
    }
    clearTimeout(guard);
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    const quit = this.reader.quit().catch(() => undefined);
    await pause(1_000, quit);
    this.reader.disconnect();
  }

  private async unblockReader(): Promise<void> {
    if (this.readerId === undefined) return;
    const server = connectionForKey(this.opts.redis, this.ref.stream);
    await server?.call('CLIENT', 'UNBLOCK', this.readerId).catch(() => undefined);
  }

  /** Deletes this consumer from the group if nothing is pending on it (after its liveness key is gone). */
  async removeIfIdle(): Promise<void> {
    await removeIdleConsumer(this.opts.redis, this.ref);
  }

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await this.opts.ready;
      for (let failures = 1; !this.stopping; failures++) {
        try {
          return await this.ensureGroup();
        } catch (err) {
          this.log.warn({ err }, 'cannot create consumer group; retrying');
          await pause(failureBackoff(failures), this.stopped);
        }
      }
    })();
    return this.prepared;
  }

  private ensureGroup(): Promise<void> {
    return createGroup(this.opts.redis, this.ref.stream, this.ref.group);
  }

  /** Redis restarted without its data: the group is gone, so make it again. */
  private async afterError(err: unknown, failures: number, what: string): Promise<void> {
    this.log.warn({ err, failures }, `${what} failed; retrying`);
    if (errorMessage(err).startsWith('NOGROUP')) await this.ensureGroup().catch(() => undefined);
    await pause(failureBackoff(failures), this.stopped);
  }

  /**
   * The blocking connection's id, for CLIENT UNBLOCK on close. On a Cluster it is asked of the
   * node serving the stream before each read: a failover may have moved the stream.
   */
  private async learnReaderId(): Promise<void> {
    const cluster = clusterOf(this.reader) !== undefined;
    if (this.readerId !== undefined && !cluster) return;
    // Without the slot map the read would go out with no id to interrupt it by, and close()
    // would wait out a whole block: learn the map first (the read would wait for it anyway).
    if (cluster) await slotsKnown(this.reader, this.stopped);
    const conn = connectionForKey(this.reader, this.ref.stream);
    this.readerId = conn ? Number(await conn.call('CLIENT', 'ID')) : undefined;
  }

  private async readLoop(): Promise<void> {
    await this.prepare();
    let failures = 0;
    while (!this.stopping) {
      await Promise.race([this.slots.waitForFree(), this.stopped]);
      if (this.stopping) break;
      try {
        await this.learnReaderId();
        if (this.stopping) break;
        const { group, me, stream } = this.ref;
        const reply = (await this.reader.call(
          'XREADGROUP',
          'GROUP',
          group,
          me,
          'COUNT',
          this.slots.free,
          'BLOCK',
          this.opts.blockMs,
          'STREAMS',
          stream,
          '>',
        )) as unknown;
        failures = 0;
        const batch = Array.isArray(reply) && Array.isArray(reply[0]) ? toRawEntries(reply[0][1]) : [];
        if (batch.length === 0) continue;
        for (const entry of batch) this.local.add(entry.id);
        // One round trip for the whole batch's done markers.
        for (const delivery of await this.settler.prepare(batch)) this.dispatch(delivery, 1, false);
      } catch (err) {
        // The reply may have been lost with entries delivered to this consumer.
        this.ownPending = true;
        if (this.stopping) break;
        await this.afterError(err, ++failures, 'stream read');
      }
    }
  }

  private async maintainLoop(): Promise<void> {
    await this.prepare();
    let nextRecover = 0;
    let failures = 0;
    while (!this.stopping) {
      try {
        if (Date.now() >= nextRecover) {
          nextRecover = Date.now() + this.opts.recoverIntervalMs;
          const adopted =
            (await reapDeadConsumers(this.opts.redis, this.ref)) +
            (await autoclaimIdle(this.opts.redis, this.ref, this.opts.claimIdleMs));
          if (adopted > 0) {
            this.ownPending = true;
            this.log.info({ adopted }, 'took over pending entries from stopped or stuck consumers');
          }
        }
        await this.retryOwn();
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        await this.afterError(err, ++failures, 'pending-entry maintenance');
      }
      await pause(this.opts.retryIntervalMs, this.stopped);
    }
  }

  /** Re-runs this consumer's failed entries after a backoff; gives up at the delivery cap. */
  private async retryOwn(): Promise<void> {
    const { redis, deliveryCap, retryBackoffMs, retryBackoffMaxMs, recoverIntervalMs } = this.opts;
    if (!this.ownPending && Date.now() < this.nextPendingCheck) return;
    this.ownPending = false;
    this.nextPendingCheck = Date.now() + recoverIntervalMs;
    // Room for everything in flight here plus a batch, so local entries cannot crowd out retries.
    const limit = 100 + this.local.size;
    const pending = await listOwnPending(redis, this.ref, limit).catch((err: unknown) => {
      this.ownPending = true;
      throw err;
    });
    if (pending.length >= limit) this.ownPending = true;
    for (const p of pending) {
      if (this.stopping) return;
      const wait = Math.min(retryBackoffMs * p.deliveries, retryBackoffMaxMs);
      // In flight here (its outcome says whether to look again) or not due yet (look again).
      if (this.local.has(p.id)) continue;
      if (p.idleMs < wait) {
        this.ownPending = true;
        continue;
      }
      if (p.deliveries >= deliveryCap) {
        this.track(p.id, () => this.settler.expire(p.id, p.deliveries));
        continue;
      }
      await Promise.race([this.slots.acquire(), this.stopped]);
      if (this.stopping) return;
      // min-idle makes the claim a compare-and-set: if anyone touched the entry since XPENDING, skip it.
      const { group, me, stream } = this.ref;
      const claimed = toRawEntries(
        await redis.call('XCLAIM', stream, group, me, wait, p.id).catch((err: unknown) => {
          this.slots.release();
          this.ownPending = true;
          throw err;
        }),
      );
      const entry = claimed[0];
      if (entry) this.dispatch((await this.settler.prepare([entry]))[0]!, p.deliveries + 1, true);
      else this.slots.release();
    }
  }

  private dispatch(delivery: Delivery, deliveries: number, holdsSlot: boolean): void {
    this.track(delivery.entry.id, async () => {
      if (!holdsSlot) await this.slots.acquire();
      try {
        if (!(await this.settler.settle(delivery, deliveries))) this.ownPending = true;
      } finally {
        this.slots.release();
      }
    });
  }

  private track(entryId: string, work: () => Promise<void>): void {
    this.local.add(entryId);
    const task = work()
      .catch((err: unknown) => {
        this.ownPending = true;
        this.log.error({ err, entryId }, 'entry left pending after an error; it will be retried');
      })
      .finally(() => {
        this.local.delete(entryId);
        this.tasks.delete(task);
      });
    this.tasks.add(task);
  }
}
