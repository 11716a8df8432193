import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { checkArtifact } from '../../contracts/validate-artifact.js';
import { CrewError, errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { ArtifactBus, ConsumeOptions } from './artifact-bus.js';
import type { DeadLetter } from './dead-letter.js';
import type { Handler } from './settle-entry.js';
import { XaddBatcher } from './batch-xadds.js';
import { createGroup } from './create-group.js';
import { Subscription } from './subscription.js';
import { misrouted, TOPIC_MAP, type ArtifactOn, type CrewTopics, type TopicTypes } from './topic-map.js';
import { isTopic, type Topic } from './topics.js';
import { livenessKey, streamKey } from '../redis/keys.js';

export type { ConsumeOptions } from './artifact-bus.js';
export type { DeadLetter } from './dead-letter.js';
export type { Handler } from './settle-entry.js';

export interface RedisBusOptions<M extends TopicTypes = CrewTopics> {
  /** Client for commands; the bus duplicates it for its blocking reads and never closes it. */
  redis: Redis;
  logger: Logger;
  /** Key prefix, default 'crew'. */
  prefix?: string;
  /** Which artifact types each topic carries. Default: the crew's TOPIC_MAP. */
  topics?: M;
  /** Default `${hostname}-${pid}-${random}`. */
  consumerName?: string;
  /** An entry whose handler failed this many times goes to the dead-letter stream. Default 5. */
  maxDeliveries?: number;
  /**
   * Deliveries after which an entry is dead-lettered whatever happened (consumers killed while
   * handling it count here, not as failures). Default 4 × maxDeliveries.
   */
  deliveryCap?: number;
  /** How long a handler may answer "not yet" before that counts as a failure. Default 120 s. */
  notYetGraceMs?: number;
  /** Pending entries idle this long are taken from any consumer (XAUTOCLAIM). Default 60 s. */
  claimIdleMs?: number;
  /** Longest a read blocks. Default 2 s. */
  blockMs?: number;
  /** How long an artifact id stays "done" for a group. Default 7 days. */
  dedupeTtlMs?: number;
  /** Approximate MAXLEN per stream. Default 100,000. */
  maxLen?: number;
  /** Called once per dead-lettered entry. */
  onDeadLetter?: (entry: DeadLetter) => Promise<void>;
  /** Liveness key TTL: a consumer silent this long counts as dead. Default 5 s. */
  livenessTtlMs?: number;
  /** Liveness refresh period. Default 1.5 s. */
  heartbeatMs?: number;
  /** How often each consumer looks at its own failed entries. Default 250 ms. */
  retryIntervalMs?: number;
  /** How often dead consumers are looked for and idle entries auto-claimed. Default 2 s. */
  recoverIntervalMs?: number;
  /** Retry backoff: this × deliveries so far, capped by retryBackoffMaxMs. Defaults 250 ms, 5 s. */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Typed artifacts over Redis Streams: validated on publish and on consume, effectively-once
 * per group, and only of the types each topic carries.
 */
export class RedisBus<M extends TopicTypes = CrewTopics> implements ArtifactBus<M> {
  readonly consumerName: string;
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly topics: M;
  private readonly settings: Required<
    Omit<RedisBusOptions, 'redis' | 'logger' | 'prefix' | 'topics' | 'consumerName' | 'onDeadLetter'>
  >;
  private readonly onDeadLetter: RedisBusOptions['onDeadLetter'];
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly ready: Promise<void>;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly xadds: XaddBatcher;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(options: RedisBusOptions<M>) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
    // Without a table of its own the bus is the crew's, and M is its default, CrewTopics.
    this.topics = options.topics ?? (TOPIC_MAP as TopicTypes as M);
    if (/[{}\s]/.test(this.prefix))
      throw new CrewError('CREW_ERR_CONFIG', `bus prefix must not contain braces or spaces: "${this.prefix}"`);
    this.consumerName = options.consumerName ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.logger = options.logger.child({ component: 'bus', consumer: this.consumerName });
    this.onDeadLetter = options.onDeadLetter;
    this.settings = {
      maxDeliveries: options.maxDeliveries ?? 5,
      deliveryCap: options.deliveryCap ?? 4 * (options.maxDeliveries ?? 5),
      notYetGraceMs: options.notYetGraceMs ?? 120_000,
      claimIdleMs: options.claimIdleMs ?? 60_000,
      blockMs: options.blockMs ?? 2_000,
      dedupeTtlMs: options.dedupeTtlMs ?? 7 * DAY_MS,
      maxLen: options.maxLen ?? 100_000,
      livenessTtlMs: options.livenessTtlMs ?? 5_000,
      heartbeatMs: options.heartbeatMs ?? 1_500,
      retryIntervalMs: options.retryIntervalMs ?? 250,
      recoverIntervalMs: options.recoverIntervalMs ?? 2_000,
      retryBackoffMs: options.retryBackoffMs ?? 250,
      retryBackoffMaxMs: options.retryBackoffMaxMs ?? 5_000,
    };
    if (this.settings.heartbeatMs >= this.settings.livenessTtlMs) {
      throw new CrewError('CREW_ERR_CONFIG', 'bus heartbeatMs must be shorter than livenessTtlMs');
    }
    this.xadds = new XaddBatcher(this.redis, this.settings.maxLen);
    // Written before the first read, so no other consumer ever sees this one as dead.
    this.ready = this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  async publish<T extends Topic>(topic: T, artifact: ArtifactOn<T, M>): Promise<string> {
    // Handlers still finishing during close() must be able to publish their results.
    if (this.closed) throw new CrewError('CREW_ERR_CLOSED', 'bus is closed');
    if (!isTopic(topic)) throw new CrewError('CREW_ERR_BAD_INPUT', `unknown topic "${String(topic)}"`);
    const checked = checkArtifact(artifact);
    if (!checked.ok) throw new CrewError('CREW_ERR_BAD_ARTIFACT', `refused to publish to ${topic}: ${checked.reason}`);
    const a = checked.value;
    // The compiler already refuses this; callers holding an untyped artifact are checked here.
    const wrong = misrouted(topic, this.topics[topic].carries, a.type);
    if (wrong) throw new CrewError('CREW_ERR_BAD_ARTIFACT', `refused to publish to ${topic}: ${wrong}`);
    const key = streamKey(this.prefix, topic);
    // A burst of publishes goes to Redis in one write (XaddBatcher).
    const id = await this.xadds.add(key, ['artifact', JSON.stringify(a), 'type', a.type, 'planId', a.planId]);
    if (id === null) throw new CrewError('CREW_ERR_REDIS', `XADD to ${key} returned no id`);
    return id;
  }

  consume<T extends Topic>(
    topic: T,
    group: string,
    handler: (artifact: ArtifactOn<T, M>) => Promise<void>,
    options: ConsumeOptions = {},
  ): void {
    if (this.closing) throw new CrewError('CREW_ERR_CLOSED', 'bus is closed');
    if (!isTopic(topic)) throw new CrewError('CREW_ERR_BAD_INPUT', `unknown topic "${String(topic)}"`);
    if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(group))
      throw new CrewError('CREW_ERR_BAD_INPUT', `invalid consumer group name "${group}"`);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new CrewError('CREW_ERR_BAD_INPUT', `concurrency must be a positive integer, got ${concurrency}`);
    const id = `${topic}\u0000${group}`;
    if (this.subscriptions.has(id))
      throw new CrewError('CREW_ERR_BAD_INPUT', `already consuming ${topic} as group ${group}`);
    const sub = new Subscription({
      ...this.settings,
      redis: this.redis,
      logger: this.logger.child({ topic, group }),
      prefix: this.prefix,
      topic,
      group,
      // The settler hands over only artifacts of the types in `carries`, which is ArtifactOn<T, M>.
      handler: handler as Handler,
      carries: this.topics[topic].carries,
      onDeadLetter: this.onDeadLetter,
      consumerName: this.consumerName,
      concurrency,
      ready: this.ready,
    });
    this.subscriptions.set(id, sub);
    sub.start();
  }

  /**
   * Makes these consumer groups (and their streams) without joining them: what is published
   * for a group no process reads yet waits in it, counted as undelivered, and retention keeps it.
   */
  async declareGroups(groups: ReadonlyArray<{ topic: Topic; group: string }>): Promise<void> {
    // Sent together (one write, one wait), not one round trip after another.
    await Promise.all(groups.map(({ topic, group }) => createGroup(this.redis, streamKey(this.prefix, topic), group)));
  }

  /** Stops reading, waits for in-flight handlers and their acks, closes the bus's own connections. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    const subs = [...this.subscriptions.values()];
    await Promise.all(subs.map((s) => s.stop()));
    try {
      // Gone at once rather than after the TTL: others may adopt what is still pending here.
      await this.redis.del(livenessKey(this.prefix, this.consumerName));
      await Promise.all(subs.map((s) => s.removeIfIdle()));
    } catch (err) {
      this.logger.warn({ err }, 'could not clean up consumer registration');
    }
    this.closed = true;
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.set(
        livenessKey(this.prefix, this.consumerName),
        String(process.pid),
        'PX',
        this.settings.livenessTtlMs,
      );
    } catch (err) {
      this.logger.debug({ err: errorMessage(err) }, 'liveness refresh failed');
    }
  }
}
