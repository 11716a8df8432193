import type { Redis } from 'ioredis';
import { suggestionsAcceptedKey, suggestionsKey } from '../redis/keys.js';

/** A savings suggestion submitted as a plan: accepted when submitted, realised when the plan is applied. */
export interface AcceptedSuggestion {
  planId: string;
  stack: string;
  kind: string;
  monthlyUsd: number;
  acceptedAt: string;
  acceptedBy: string;
  realisedAt?: string;
}

/** What FinPilot keeps of its savings suggestions: the last list shown and the ones planned. */
export class SuggestionStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  async saveList(list: unknown): Promise<void> {
    await this.redis.set(suggestionsKey(this.prefix), JSON.stringify(list));
  }

  async lastList(): Promise<unknown> {
    const raw = await this.redis.get(suggestionsKey(this.prefix));
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  }

  async accept(a: Omit<AcceptedSuggestion, 'realisedAt'>): Promise<void> {
    await this.redis.hset(suggestionsAcceptedKey(this.prefix), a.planId, JSON.stringify(a));
  }

  /** Marks the suggestion a plan came from as realised; nothing when the plan did not come from one. */
  async markRealised(planId: string, at: string): Promise<boolean> {
    const raw = await this.redis.hget(suggestionsAcceptedKey(this.prefix), planId);
    if (raw === null) return false;
    const a = JSON.parse(raw) as AcceptedSuggestion;
    if (a.realisedAt) return false;
    await this.redis.hset(suggestionsAcceptedKey(this.prefix), planId, JSON.stringify({ ...a, realisedAt: at }));
    return true;
  }

  async accepted(): Promise<AcceptedSuggestion[]> {
    const all = await this.redis.hvals(suggestionsAcceptedKey(this.prefix));
    return all
      .map((raw) => JSON.parse(raw) as AcceptedSuggestion)
      .sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt));
  }
}
