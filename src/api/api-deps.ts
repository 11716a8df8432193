import type { FastifyInstance } from 'fastify';
import type { ApiToken } from '../config/read-api-settings.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanOperations } from '../conductor/plan-operations.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';

/** What the API's routes reach: the shared operations, the plan store for reads, the tokens. */
export interface ApiDeps {
  ops: PlanOperations;
  plans: Pick<PlanStore, 'recent' | 'history' | 'audit' | 'auditLog' | 'decisionOutcome' | 'approvals'>;
  /** Where the plan page reads saved plan JSON (else the file path in the record). */
  artifacts?: ArtifactStore;
  /** CREW_LINK_SECRET: signed plan-page links open the page without a token; unset, only tokens do. */
  linkSecret?: string;
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
  interface FastifyContextConfig {
    /** Open to anyone, no token (the OpenAPI document). */
    public?: boolean;
    /** Also opens with a signed, expiring link for the plan in the path (the plan page). */
    signedLink?: boolean;
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
