import type { Redis } from 'ioredis';
import { deadLetterKey, streamKey } from '../redis/keys.js';
import { TOPICS, type Topic } from './topics.js';

export interface GroupStats {
  name: string;
  /** Entries delivered to a consumer and not acked yet. */
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after some deletions). */
  lag: number | null;
}

export interface StreamStats {
  topic: Topic;
  length: number;
  groups: GroupStats[];
}

function readGroup(row: unknown): GroupStats | undefined {
  if (!Array.isArray(row)) return undefined;
  const get = (name: string): unknown => {
    const at = row.indexOf(name);
    return at >= 0 ? row[at + 1] : undefined;
  };
  const lag = get('lag');
  return {
    name: String(get('name')),
    pending: Number(get('pending') ?? 0),
    lag: lag === null || lag === undefined ? null : Number(lag),
  };
}

/** Length, and pending/lag per group, of every topic's stream (one pipeline round trip). */
export async function streamStats(redis: Redis, prefix: string): Promise<StreamStats[]> {
  const pipe = redis.pipeline();
  for (const topic of TOPICS) {
    pipe.xlen(streamKey(prefix, topic));
    pipe.call('XINFO', 'GROUPS', streamKey(prefix, topic));
  }
  const replies = (await pipe.exec()) ?? [];
  return TOPICS.map((topic, i) => {
    const [lenErr, len] = replies[2 * i] ?? [null, 0];
    const [groupsErr, groups] = replies[2 * i + 1] ?? [null, []];
    if (lenErr) throw lenErr;
    // XINFO GROUPS on a stream that does not exist yet is an error, not an empty list.
    const rows = groupsErr || !Array.isArray(groups) ? [] : groups;
    return {
      topic,
      length: Number(len ?? 0),
      groups: rows.map(readGroup).filter((g): g is GroupStats => g !== undefined),
    };
  });
}

/** Entries in the dead-letter stream. */
export async function countDeadLetters(redis: Redis, prefix: string): Promise<number> {
  return redis.xlen(deadLetterKey(prefix));
}
