import type { Redis } from 'ioredis';
import { livenessKey } from '../redis/keys.js';
import { REAP_CONSUMER } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';

export interface GroupRef {
  prefix: string;
  stream: string;
  group: string;
  /** This consumer: the one that takes over. */
  me: string;
}

export interface PendingInfo {
  id: string;
  idleMs: number;
  deliveries: number;
}

const BATCH = 100;

/** Consumer names of a group, from XINFO CONSUMERS. */
export async function listConsumers(redis: Redis, stream: string, group: string): Promise<string[]> {
  const reply = (await redis.call('XINFO', 'CONSUMERS', stream, group)) as unknown[];
  const names: string[] = [];
  for (const row of reply) {
    if (!Array.isArray(row)) continue;
    const at = row.indexOf('name');
    if (at >= 0 && typeof row[at + 1] === 'string') names.push(row[at + 1] as string);
  }
  return names;
}

/**
 * Claims the pending entries of every consumer whose liveness key has expired (a process
 * that died without closing) and deletes such consumers once they have nothing pending.
 * Live consumers are left alone. Returns how many entries were claimed.
 */
export async function reapDeadConsumers(redis: Redis, ref: GroupRef): Promise<number> {
  let claimed = 0;
  for (const name of await listConsumers(redis, ref.stream, ref.group)) {
    if (name === ref.me) continue;
    const ids = (await runScript(
      redis,
      REAP_CONSUMER,
      [ref.stream, livenessKey(ref.prefix, name)],
      [ref.group, name, ref.me, BATCH, '1'],
    )) as unknown[];
    claimed += ids.length;
  }
  return claimed;
}

/** Deletes this consumer from the group if it has nothing pending (its liveness key must be gone). */
export async function removeIdleConsumer(redis: Redis, ref: GroupRef): Promise<void> {
  await runScript(
    redis,
    REAP_CONSUMER,
    [ref.stream, livenessKey(ref.prefix, ref.me)],
    [ref.group, ref.me, ref.me, 1, '0'],
  );
}

/**
 * Takes over entries idle longer than `minIdleMs` whoever holds them: the fallback for a
 * consumer that keeps its liveness key but never finishes (or runs code without one).
 * JUSTID leaves the delivery counter to the retry pass that actually runs the handler.
 */
export async function autoclaimIdle(redis: Redis, ref: GroupRef, minIdleMs: number): Promise<number> {
  let cursor = '0-0';
  let claimed = 0;
  // Bounded so one pass cannot monopolise the connection on a huge backlog.
  for (let round = 0; round < 10; round++) {
    const reply = (await redis.call(
      'XAUTOCLAIM',
      ref.stream,
      ref.group,
      ref.me,
      minIdleMs,
      cursor,
      'COUNT',
      BATCH,
      'JUSTID',
    )) as unknown[];
    cursor = String(reply[0]);
    claimed += Array.isArray(reply[1]) ? reply[1].length : 0;
    if (cursor === '0-0') break;
  }
  return claimed;
}

/** This consumer's own pending entries with their age and delivery counter (XPENDING). */
export async function listOwnPending(redis: Redis, ref: GroupRef, count = BATCH): Promise<PendingInfo[]> {
  const reply = (await redis.call('XPENDING', ref.stream, ref.group, '-', '+', count, ref.me)) as unknown[];
  return reply.filter(Array.isArray).map((row) => ({
    id: String(row[0]),
    idleMs: Number(row[2]),
    deliveries: Number(row[3]),
  }));
}
