import type { Redis } from 'ioredis';
import type { ArtifactType } from '../../contracts/artifacts.js';
import type { Artifact } from '../../contracts/envelope.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { AckBatch } from './ack-batch.js';
import { moveToDeadLetter, type DeadLetter } from './dead-letter.js';
import { parseEntry, toRawEntries, type ParsedEntry, type RawEntry } from './parse-entry.js';
import { withRetry } from './pause.js';
import { deadLetterKey, doneKey, failuresKey, streamKey } from '../redis/keys.js';
import { misrouted } from './topic-map.js';
import type { Topic } from './topics.js';

export type Handler = (artifact: Artifact) => Promise<void>;

/** Errors a handler throws to say "this arrived before its turn; retry me" (they carry `notYet: true`). */
function isNotYet(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { notYet?: unknown }).notYet === true;
}

export interface SettleContext {
  redis: Redis;
  logger: Logger;
  prefix: string;
  topic: Topic;
  group: string;
  handler: Handler;
  /** The artifact types the topic carries; any other is dead-lettered as misrouted, never handled. */
  carries: readonly ArtifactType[];
  onDeadLetter?: (entry: DeadLetter) => Promise<void>;
  /** Handler failures (throws) before an entry is dead-lettered. */
  maxDeliveries: number;
  /**
   * Deliveries before an entry is dead-lettered whatever happened to them: a poison pill that
   * kills every consumer that takes it. Consumers killed for other reasons use up this budget only.
   */
  deliveryCap: number;
  /** A handler saying "not yet" (an earlier artifact is still on its way) is retried this long before it counts as a failure. */
  notYetGraceMs: number;
  dedupeTtlMs: number;
  maxLen: number;
}

/** A delivered entry, parsed, with whether its group handled the artifact already (undefined: not known). */
export interface Delivery {
  entry: RawEntry;
  parsed: ParsedEntry;
  done?: boolean;
  /** How many handlings had ended here when `done` was read: one ending later makes it stale. */
  readAt?: number;
}

/** Artifacts whose last handling's end is remembered (for stale marker reads); older ones are forgotten. */
const REMEMBERED_ENDS = 1_024;

/**
 * Runs the handler for one delivered entry and settles it: ack + done marker on success,
 * left pending for a retry on failure, dead-lettered when malformed or out of deliveries.
 * Acks of entries settled together go to Redis together (AckBatch).
 */
export class EntrySettler {
  private readonly stream: string;
  /** Last handler error per pending entry, so the dead letter can say what went wrong. */
  private readonly lastError = new Map<string, string>();
  /** Artifact ids being handled here; a duplicate waits for the first and then sees its marker. */
  private readonly byArtifact = new Map<string, Promise<void>>();
  /** Handlings ended here so far, and when (by that count) each recent artifact's last one ended. */
  private ended = 0;
  private readonly endedAt = new Map<string, number>();
  /** The latest end forgotten from `endedAt`: an artifact not there may have ended as late as this. */
  private forgottenEnd = 0;

  private readonly failures: string;
  private readonly acks: AckBatch;

  constructor(private readonly ctx: SettleContext) {
    this.stream = streamKey(ctx.prefix, ctx.topic);
    this.failures = failuresKey(ctx.prefix, ctx.topic, ctx.group);
    const keys = { stream: this.stream, group: ctx.group, failures: this.failures };
    this.acks = new AckBatch(ctx.redis, keys, ctx.dedupeTtlMs, (fn) => this.retrying(fn));
  }

  /**
   * Parses (and validates) a batch of entries and asks Redis once, with one MGET of their
   * done markers, which artifacts this group has handled already. Never throws: a marker
   * that could not be read is looked up again when its entry is handled.
   */
  async prepare(entries: readonly RawEntry[]): Promise<Delivery[]> {
    const out: Delivery[] = entries.map((entry) => ({ entry, parsed: parseEntry(entry) }));
    const known = out.filter((d) => d.parsed.ok);
    if (known.length === 0) return out;
    // A handling that ends after this point may set its marker after the MGET has read it.
    const readAt = this.ended;
    const { prefix, topic, group } = this.ctx;
    const markers = known.map((d) => {
      const { id, planId } = (d.parsed as { artifact: Artifact }).artifact;
      return doneKey(prefix, topic, group, id, planId);
    });
    try {
      const found = await this.ctx.redis.mget(...markers);
      known.forEach((d, i) => {
        d.done = found[i] !== null && found[i] !== undefined;
        d.readAt = readAt;
      });
    } catch (err) {
      this.ctx.logger.debug({ err: errorMessage(err) }, 'could not read done markers; checking one by one');
    }
    return out;
  }

  /** Settles one delivery. Resolves true when it is no longer pending here, false when left for a retry. */
  async settle(delivery: Delivery, deliveries: number): Promise<boolean> {
    const { entry, parsed } = delivery;
    if (!parsed.ok) {
      const { artifactId, planId } = parsed;
      await this.deadLetter({
        entryId: entry.id,
        raw: parsed.raw,
        reason: `malformed entry: ${parsed.reason}`,
        deliveries,
        artifactId,
        planId,
      });
      return true;
    }
    // Its topic does not carry this type: no handler may see it, and its plan must hear of it.
    const wrong = misrouted(this.ctx.topic, this.ctx.carries, parsed.artifact.type);
    if (wrong) {
      const { id: artifactId, planId } = parsed.artifact;
      await this.deadLetter({
        entryId: entry.id,
        raw: parsed.raw,
        reason: `misrouted: ${wrong}`,
        deliveries,
        artifactId,
        planId,
      });
      return true;
    }
    const id = parsed.artifact.id;
    const before = this.byArtifact.get(id);
    // What `prepare` read of the marker is stale if another delivery of the same artifact is
    // still being handled here, or ended after the read (its marker may have landed since).
    const stale = before !== undefined || this.endedSince(id, delivery.readAt);
    const done = stale ? undefined : delivery.done;
    const run = (before ?? Promise.resolve()).then(() =>
      this.handle(entry.id, parsed.artifact, parsed.raw, deliveries, done),
    );
    const tail = run.then(
      () => this.noteEnd(id),
      () => this.noteEnd(id),
    );
    this.byArtifact.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.byArtifact.get(id) === tail) this.byArtifact.delete(id);
    }
  }

  private endedSince(artifactId: string, readAt: number | undefined): boolean {
    if (readAt === undefined) return false;
    return (this.endedAt.get(artifactId) ?? this.forgottenEnd) > readAt;
  }

  private noteEnd(artifactId: string): void {
    this.ended += 1;
    // Deleted first so the map's order stays the order of ends (oldest first).
    this.endedAt.delete(artifactId);
    this.endedAt.set(artifactId, this.ended);
    if (this.endedAt.size <= REMEMBERED_ENDS) return;
    const [oldest, at] = this.endedAt.entries().next().value as [string, number];
    this.endedAt.delete(oldest);
    this.forgottenEnd = at;
  }

  /** Dead-letters a pending entry that was delivered `deliveries` times without success. */
  async expire(entryId: string, deliveries: number): Promise<void> {
    const reply = await this.ctx.redis.call('XRANGE', this.stream, entryId, entryId);
    const entry = toRawEntries(reply)[0];
    const why = this.lastError.get(entryId) ?? 'the consumer stopped before finishing';
    const reason = `gave up after ${deliveries} deliveries: ${why}`;
    if (!entry) {
      // Trimmed from the stream: nothing left to retry or to record.
      await this.ctx.redis.xack(this.stream, this.ctx.group, entryId);
      this.lastError.delete(entryId);
      return;
    }
    const parsed = parseEntry(entry);
    const meta = parsed.ok
      ? { artifactId: parsed.artifact.id, planId: parsed.artifact.planId }
      : { artifactId: parsed.artifactId, planId: parsed.planId };
    await this.deadLetter({ entryId, raw: parsed.raw, reason, deliveries, ...meta });
  }

  private async handle(
    entryId: string,
    artifact: Artifact,
    raw: string,
    deliveries: number,
    known: boolean | undefined,
  ): Promise<boolean> {
    const { redis, group, topic, prefix } = this.ctx;
    const done = doneKey(prefix, topic, group, artifact.id, artifact.planId);
    const log = () => this.ctx.logger.child({ entryId, artifactId: artifact.id, planId: artifact.planId, deliveries });
    // A first delivery (read with '>') has never failed, so it has no failure count to drop.
    const clearFailures = deliveries > 1 || this.lastError.has(entryId);
    if (known ?? (await redis.exists(done)) === 1) {
      log().debug('duplicate artifact already handled by this group; acking');
      await this.acks.add({ entryId, clearFailures });
      this.lastError.delete(entryId);
      return true;
    }
    try {
      await this.ctx.handler(artifact);
    } catch (err) {
      const why = errorMessage(err);
      // "Not yet" waits for an artifact that may sit with a consumer that just died: give the
      // recovery time to bring it, then count like any failure.
      const entryAgeMs = Date.now() - Number(entryId.split('-')[0]);
      const waiting = isNotYet(err) && entryAgeMs < this.ctx.notYetGraceMs;
      const failures = waiting ? 0 : await this.retrying(() => redis.hincrby(this.failures, entryId, 1));
      if (failures >= this.ctx.maxDeliveries) {
        const reason = `handler failed ${failures} times (delivery ${deliveries}): ${why}`;
        await this.deadLetter({ entryId, raw, reason, deliveries, artifactId: artifact.id, planId: artifact.planId });
        return true;
      }
      this.lastError.set(entryId, why);
      if (waiting) log().debug({ err: why }, 'artifact arrived early; entry stays pending');
      else log().warn({ err }, 'handler failed; entry stays pending for a retry');
      return false;
    }
    // The handler succeeded: the marker and the ack must land together, or it would run again.
    await this.acks.add({ entryId, marker: done, clearFailures });
    this.lastError.delete(entryId);
    return true;
  }

  private async deadLetter(fields: Omit<DeadLetter, 'topic' | 'group'>): Promise<void> {
    const letter: DeadLetter = { topic: this.ctx.topic, group: this.ctx.group, ...fields };
    if (letter.artifactId === undefined) delete letter.artifactId;
    if (letter.planId === undefined) delete letter.planId;
    const keys = { stream: this.stream, dead: deadLetterKey(this.ctx.prefix) };
    const moved = await this.retrying(() => moveToDeadLetter(this.ctx.redis, keys, letter, this.ctx.maxLen));
    await this.retrying(() => this.ctx.redis.hdel(this.failures, letter.entryId));
    this.lastError.delete(letter.entryId);
    if (!moved) return;
    this.ctx.logger.warn(
      { entryId: letter.entryId, planId: letter.planId, reason: letter.reason },
      'entry dead-lettered',
    );
    if (!this.ctx.onDeadLetter) return;
    try {
      await this.ctx.onDeadLetter(letter);
    } catch (err) {
      this.ctx.logger.error({ err, entryId: letter.entryId }, 'onDeadLetter failed');
    }
  }

  private retrying<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, (err, attempt) => this.ctx.logger.warn({ err, attempt }, 'redis command failed; retrying'));
  }
}
