import type { Redis } from 'ioredis';

export interface SharedSubscriberOptions {
  /**
   * How long the connection stays open once nobody watches, for the next watcher (a process
   * that waits on plan after plan). 0: closed at once. Whoever sets it calls close().
   */
  lingerMs?: number;
}

interface Channel {
  listeners: Set<(message: string) => void>;
  /** Resolves once SUBSCRIBE was answered; the first watcher of a channel sends it. */
  subscribed: Promise<unknown>;
}

/**
 * Pub/sub watchers of many channels on one subscriber connection (made on the first watch),
 * instead of a connection per watcher: a SUBSCRIBE when a channel gets its first watcher, an
 * UNSUBSCRIBE when it loses its last. Commands on the one connection run in order, so a
 * channel left and watched again at once ends subscribed. On a reconnect ioredis subscribes
 * again; messages sent meanwhile are lost, so watchers treat a message as a hint and also read
 * on their own now and then.
 */
export class SharedSubscriber {
  private sub: Redis | undefined;
  private readonly channels = new Map<string, Channel>();
  private linger: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;

  constructor(
    private readonly redis: Redis,
    options: SharedSubscriberOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Calls `onMessage` with each message on `channel`; resolves once subscribed, with a stop. */
  async watch(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    clearTimeout(this.linger);
    const sub = this.connection();
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), subscribed: sub.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    const listener = (message: string) => onMessage(message);
    entry.listeners.add(listener);
    try {
      await entry.subscribed;
    } catch (err) {
      await this.leave(channel, entry, listener);
      throw err;
    }
    let stopping: Promise<void> | undefined;
    return () => (stopping ??= this.leave(channel, entry, listener));
  }

  /** Open connections: 1 while anyone watches (or during the linger), else 0. */
  get connections(): number {
    return this.sub ? 1 : 0;
  }

  /** Closes the connection; a later watch opens another. */
  async close(): Promise<void> {
    clearTimeout(this.linger);
    this.channels.clear();
    await this.quit();
  }

  private connection(): Redis {
    if (!this.sub) {
      const sub = this.redis.duplicate();
      sub.on('error', () => undefined);
      sub.on('message', (channel: string, message: string) => {
        for (const listener of this.channels.get(channel)?.listeners ?? []) listener(message);
      });
      this.sub = sub;
    }
    return this.sub;
  }

  private async leave(channel: string, entry: Channel, listener: (message: string) => void): Promise<void> {
    entry.listeners.delete(listener);
    // A channel closed or replaced meanwhile is not this watcher's to leave.
    if (entry.listeners.size > 0 || this.channels.get(channel) !== entry) return;
    this.channels.delete(channel);
    const sub = this.sub;
    if (this.channels.size === 0) {
      if (this.lingerMs <= 0) return this.quit();
      this.linger = setTimeout(() => void this.quit(), this.lingerMs);
    }
    await sub?.unsubscribe(channel).catch(() => undefined);
  }

  private async quit(): Promise<void> {
    const sub = this.sub;
    this.sub = undefined;
    if (!sub) return;
    await sub.quit().then(
      () => undefined,
      () => sub.disconnect(),
    );
  }
}
