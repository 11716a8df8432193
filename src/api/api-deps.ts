import type { FastifyInstance } from 'fastify';
import type { ApiToken } from '../config/read-api-settings.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanOperations } from '../conductor/plan-operations.js';
import type { PlanStore } from '../store/plan-store.js';

/** What the API's routes reach: the shared operations, the plan store for reads, the tokens. */
export interface ApiDeps {
  ops: PlanOperations;
  plans: Pick<PlanStore, 'recent' | 'history' | 'audit' | 'decisionOutcome'>;
  tokens: readonly ApiToken[];
  logger: Logger;
  /** Requests per minute per identity; 0 or unset: no limit. */
  ratePerMinute?: number;
  now?: () => number;
  /** More routes behind the same tokens, rate limit and errors (the MCP endpoint, /mcp). */
  mounts?: ReadonlyArray<(app: FastifyInstance) => void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The identity the request's bearer token stands for. */
    identity: string;
  }
}

/** Where a plan's resources live, for `links` in responses. */
export function planLinks(id: string): Record<string, string> {
  const self = `/api/v1/plans/${id}`;
  return {
    self,
    history: `${self}/history`,
    approve: `${self}/approve`,
    reject: `${self}/reject`,
    rollback: `${self}/rollback`,
  };
}
