import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import { AuditOutbox } from '../store/audit-outbox.js';
import { catchUpAudit } from '../store/catch-up-audit.js';
import type { PlanStore } from '../store/plan-store.js';
import { PostgresArtifactStore } from '../store/postgres-artifact-store.js';

/** What CREW_DATABASE_URL adds to a crew: artifacts and the audit trail in PostgreSQL. */
export interface SharedStores {
  artifacts: ArtifactStore;
  audit: AuditOutbox;
  /** Fills in audit rows a killed process lost, from the recent plans in Redis (in the background). */
  catchUp(plans: PlanStore): void;
  close(): Promise<void>;
}

/**
 * The stores on PostgreSQL, on the pool openCrew opened (and migrated) before anything else;
 * without CREW_DATABASE_URL there are none and the crew keeps artifacts in Redis.
 */
export function openSharedStores(o: {
  config: Readonly<CrewConfig>;
  pool: Pool | undefined;
  redis: Redis;
  logger: Logger;
  prefix?: string;
}): SharedStores | undefined {
  const { pool } = o;
  if (!pool) return undefined;
  const audit = new AuditOutbox({
    redis: o.redis,
    pool,
    ...(o.prefix ? { prefix: o.prefix } : {}),
    onError: (err, retryInMs) =>
      o.logger.warn({ err, retryInMs }, 'audit rows not written to PostgreSQL yet; they wait in Redis'),
  });
  let closing: Promise<void> | undefined;
  return {
    artifacts: new PostgresArtifactStore({ pool }),
    audit,
    catchUp: (plans) =>
      void catchUpAudit(plans, pool).then(
        (added) => added > 0 && o.logger.warn({ added }, 'audit rows caught up from Redis'),
        (err: unknown) => o.logger.warn({ err }, 'audit catch-up failed; it runs again on the next start'),
      ),
    close: () => (closing ??= audit.close()),
  };
}
