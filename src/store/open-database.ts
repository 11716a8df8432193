import pg from 'pg';
import { CrewError, errorMessage } from '../errors.js';
import { migrateDatabase } from './migrate-database.js';

export interface OpenDatabaseOptions {
  url: string;
  /** Connections this process may hold (default 5: a few agents, a drainer, a command). */
  max?: number;
  connectTimeoutMs?: number;
}

/** Where the database is, without its password, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'CREW_DATABASE_URL';
  }
}

/**
 * A pool on CREW_DATABASE_URL with the schema migrated. A database that cannot be reached, or
 * whose schema is newer than this code, is a CREW_ERR_DATABASE with what to do.
 */
export async function openDatabase(o: OpenDatabaseOptions): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 5,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
  });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrateDatabase(pool);
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof CrewError) throw err;
    throw new CrewError(
      'CREW_ERR_DATABASE',
      `PostgreSQL at ${describeDatabase(o.url)} (CREW_DATABASE_URL) is not reachable: ${errorMessage(err)}; ` +
        'start it or fix CREW_DATABASE_URL',
      { cause: err },
    );
  }
}
