import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { slackRepliesDueKey, slackRepliesKey, slackRepliesLockKey } from '../redis/keys.js';
import { RELEASE_LOCK, REPLY_DONE } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';

/** One transition waiting for its review-thread reply (the Slack surface's TransitionNote). */
export interface TransitionNote {
  from?: string;
  to?: string;
  by?: string;
  detail: string;
}

function readNote(raw: string): TransitionNote | undefined {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v.detail !== 'string') return undefined;
    const str = (k: string) => (typeof v[k] === 'string' ? { [k]: v[k] as string } : {});
    return { detail: v.detail, ...str('from'), ...str('to'), ...str('by') };
  } catch {
    return undefined;
  }
}

/**
 * Review-thread replies not yet posted, in Redis so that a restart (or another replica) posts
 * them: a list of notes per plan, a schedule of plans by due time, a flush lock per plan.
 */
export class ReplyOutboxStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** Appends a note; the plan is due at `dueAt` unless it already was due earlier. */
  async push(planId: string, note: TransitionNote, dueAt: number): Promise<void> {
    await this.redis
      .multi()
      .rpush(slackRepliesKey(this.prefix, planId), JSON.stringify(note))
      .zadd(slackRepliesDueKey(this.prefix), 'NX', dueAt, planId)
      .exec();
  }

  /** The plan's notes in the order they came (unreadable entries count, so `done` stays aligned). */
  async take(planId: string): Promise<Array<TransitionNote | undefined>> {
    return (await this.redis.lrange(slackRepliesKey(this.prefix, planId), 0, -1)).map(readNote);
  }

  /** The first `n` notes are posted; answers how many are left. */
  async done(planId: string, n: number): Promise<number> {
    const left = await runScript(
      this.redis,
      REPLY_DONE,
      [slackRepliesKey(this.prefix, planId), slackRepliesDueKey(this.prefix)],
      [n, planId],
    );
    return Number(left);
  }

  async reschedule(planId: string, dueAt: number): Promise<void> {
    await this.redis.zadd(slackRepliesDueKey(this.prefix), dueAt, planId);
  }

  /** Plans with notes due by `now`. */
  async due(now: number, limit = 500): Promise<string[]> {
    const max = Number.isFinite(now) ? now : '+inf';
    return this.redis.zrangebyscore(slackRepliesDueKey(this.prefix), '-inf', max, 'LIMIT', 0, limit);
  }

  /** A token when this caller may flush the plan's notes, for `ttlMs`; undefined when another holds it. */
  async lock(planId: string, ttlMs: number): Promise<string | undefined> {
    const token = randomBytes(8).toString('hex');
    const ok = await this.redis.set(slackRepliesLockKey(this.prefix, planId), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : undefined;
  }

  async unlock(planId: string, token: string): Promise<void> {
    await runScript(this.redis, RELEASE_LOCK, [slackRepliesLockKey(this.prefix, planId)], [token]);
  }
}
