import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

// A database of its own for each test on the machine's PostgreSQL (127.0.0.1:5432, user postgres,
// trust auth), through psql with argument arrays. The server is required: tests fail when it is
// missing, never skip.

const BASE = ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];

export interface TestDatabase {
  name: string;
  /** Runs SQL in this database; the rows as psql prints them (unaligned, tuples only). */
  query(sql: string): Promise<string>;
  drop(): Promise<void>;
}

async function psql(database: string, sql: string): Promise<string> {
  const result = await execa('psql', [...BASE, '-d', database, '-c', sql], { reject: false, timeout: 30_000 });
  if (result.failed) {
    const missing = (result as { code?: string }).code === 'ENOENT';
    throw new Error(
      missing
        ? 'psql not found: install the PostgreSQL client (apt-get install postgresql-client) and run PostgreSQL on 127.0.0.1:5432'
        : `psql failed (is PostgreSQL running on 127.0.0.1:5432 with trust auth for postgres?): ${result.stderr || result.message}`,
    );
  }
  return result.stdout.trim();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await psql('postgres', `create database ${name}`);
  let dropped: Promise<void> | undefined;
  return {
    name,
    query: (sql) => psql(name, sql),
    drop: () => (dropped ??= psql('postgres', `drop database if exists ${name} with (force)`).then(() => undefined)),
  };
}
