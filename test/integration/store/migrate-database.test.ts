import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MIGRATIONS } from '../../../src/store/database-migrations.js';
import { migrateDatabase } from '../../../src/store/migrate-database.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

let db: TestDatabase;
const url = () => `postgres://postgres@127.0.0.1:5432/${db.name}`;
beforeEach(async () => void (db = await createTestDatabase()));
afterEach(() => db.drop());

describe('database migrations', () => {
  it('bring an empty database to the version the code knows, once, however many processes start', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url(), max: 1 }));
    expect(await Promise.all(pools.map((p) => migrateDatabase(p)))).toEqual([1, 1, 1].map(() => MIGRATIONS.length));
    await Promise.all(pools.map((p) => p.end()));
    expect(await db.query('select version from crew_schema_version')).toBe(String(MIGRATIONS.length));
    expect(await db.query(`select count(*) from information_schema.tables where table_name like 'crew_%'`)).toBe('3');
  });

  it('stop the process on a schema newer than the code knows', async () => {
    (await openDatabase({ url: url() })).end();
    await db.query(`update crew_schema_version set version = ${MIGRATIONS.length + 1}`);
    await expect(openDatabase({ url: url() })).rejects.toMatchObject({
      code: 'CREW_ERR_DATABASE',
      message: new RegExp(`at version ${MIGRATIONS.length + 1}, newer than this crew knows \\(${MIGRATIONS.length}\\)`),
    });
  });

  it('say where the database is, without its password, when it cannot be reached', async () => {
    await expect(
      openDatabase({ url: 'postgres://crew:s3cret@127.0.0.1:1/crew', connectTimeoutMs: 2_000 }),
    ).rejects.toSatisfy(
      (err: Error) =>
        /PostgreSQL at 127\.0\.0\.1:1\/crew \(CREW_DATABASE_URL\) is not reachable/.test(err.message) &&
        !err.message.includes('s3cret'),
    );
  });
});
