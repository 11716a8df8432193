import type { Redis } from 'ioredis';
import { SlackClaimStore } from '../store/slack-claim-store.js';

/** How long a seen trigger is remembered: past Slack's retry window (three retries within minutes). */
export const SEEN_TTL_MS = 60 * 60_000;

export interface TriggerGuard {
  /** True the first time a key is claimed; false for a retry, a duplicate envelope or a double click. */
  claim(key: string, ttlMs?: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** SET NX PX per trigger: one atomic step, so two replicas receiving the same retry cannot both win. */
export function createTriggerGuard(redis: Redis, prefix = 'crew'): TriggerGuard {
  const store = new SlackClaimStore({ redis, prefix });
  return {
    claim: (key, ttlMs = SEEN_TTL_MS) => store.claim(key, ttlMs),
    release: (key) => store.release(key),
  };
}

/** The key of one inbound trigger: trigger_id when Slack gives one, else the action time and user. */
export function triggerKey(
  team: string | undefined,
  parts: { triggerId?: string; actionTs?: string; user?: string },
): string {
  const id = parts.triggerId ?? `${parts.actionTs ?? 'none'}+${parts.user ?? 'none'}`;
  return `seen:${team ?? 'none'}:${id}`;
}
