import type { Redis } from 'ioredis';
import { escapeGlob, scanKeys } from '../redis/scan-keys.js';
import { heartbeatHead, heartbeatKey } from '../redis/keys.js';

export interface Heartbeat {
  agent: string;
  instance: string;
  /** Unix seconds. */
  lastSeen: number;
}

/**
 * Agent heartbeats: one plain key per agent instance holding its last-seen unix time in
 * seconds (decimal), kept `ttlSeconds` after the last beat so a stopped agent shows as stale.
 * The keys carry no hash tag: nothing writes two of them together.
 */
export class HeartbeatStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  async beat(agent: string, instance: string, lastSeenSeconds: number, ttlSeconds: number): Promise<void> {
    await this.redis.set(heartbeatKey(this.prefix, agent, instance), String(lastSeenSeconds), 'EX', ttlSeconds);
  }

  /** Every heartbeat under the prefix (SCAN, so a big keyspace is not blocked). */
  async readAll(): Promise<Heartbeat[]> {
    const head = heartbeatHead(this.prefix);
    const unique = await scanKeys(this.redis, `${escapeGlob(head)}*`);
    if (unique.length === 0) return [];
    // One GET per key: heartbeat keys carry no hash tag, so an MGET could cross cluster slots.
    const values = await Promise.all(unique.map((key) => this.redis.get(key)));
    const out: Heartbeat[] = [];
    unique.forEach((key, i) => {
      const rest = key.slice(head.length);
      const cut = rest.indexOf(':');
      const lastSeen = Number(values[i]);
      // A key that expired between SCAN and MGET reads as null: skip it.
      if (cut <= 0 || values[i] === null || !Number.isFinite(lastSeen)) return;
      out.push({ agent: rest.slice(0, cut), instance: rest.slice(cut + 1), lastSeen });
    });
    return out;
  }
}
