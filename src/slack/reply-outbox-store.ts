import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { slackRepliesDueKey, slackRepliesKey, slackRepliesLockKey } from '../redis/keys.js';
import type { TransitionNote } from './post-review.js';

// Drops the first `n` notes; the plan leaves the schedule only when none are left (one step,
// so a note pushed meanwhile keeps its plan scheduled).
const DONE = `
redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]), -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
return redis.call('LLEN', KEYS[1])`;
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

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
    const left = await this.redis.eval(
      DONE,
      2,
      slackRepliesKey(this.prefix, planId),
      slackRepliesDueKey(this.prefix),
      String(n),
      planId,
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
    await this.redis.eval(UNLOCK, 1, slackRepliesLockKey(this.prefix, planId), token);
  }
}
