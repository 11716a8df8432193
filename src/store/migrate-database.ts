import type { Pool } from 'pg';
import { CrewError } from '../errors.js';
import { MIGRATIONS } from './database-migrations.js';

// Any fixed number: every crew process migrating at once takes turns on this lock.
const MIGRATION_LOCK = 7_311_042;

/**
 * Brings the schema to the version this code knows, in one transaction per step, under an
 * advisory lock. A database at a newer version (a newer crew migrated it) stops the process:
 * this code would misread it.
 */
export async function migrateDatabase(pool: Pool, migrations: readonly string[] = MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('create table if not exists crew_schema_version (version integer not null)');
    const { rows } = await client.query<{ version: number }>(
      'select coalesce(max(version), 0)::int as version from crew_schema_version',
    );
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length)
      throw new CrewError(
        'CREW_ERR_DATABASE',
        `the database schema is at version ${current}, newer than this crew knows (${migrations.length}); ` +
          'upgrade this crew before starting it against this database',
      );
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query('begin');
      try {
        await client.query(migrations[version - 1]!);
        await client.query('delete from crew_schema_version');
        await client.query('insert into crew_schema_version (version) values ($1)', [version]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new CrewError('CREW_ERR_DATABASE', `database migration ${version} failed: ${String(err)}`, {
          cause: err,
        });
      }
    }
    return migrations.length;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
