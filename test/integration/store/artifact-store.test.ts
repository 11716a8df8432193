import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { artifactKey } from '../../../src/redis/keys.js';
import type { ArtifactStore } from '../../../src/store/artifact-store.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { PostgresArtifactStore } from '../../../src/store/postgres-artifact-store.js';
import { ARTIFACT_TTL_MS, RedisArtifactStore } from '../../../src/store/redis-artifact-store.js';
import { sha256Hex } from '../../../src/util/new-id.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

let db: TestDatabase;
let pool: pg.Pool;
beforeEach(async () => {
  db = await createTestDatabase();
  pool = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${db.name}` });
});
afterEach(async () => {
  await pool.end();
  await db.drop();
});

const stores: Array<[string, () => { store: ArtifactStore; corrupt: (sha: string) => Promise<unknown> }]> = [
  [
    'redis',
    () => {
      const prefix = `t${randomBytes(4).toString('hex')}`;
      return {
        store: new RedisArtifactStore({ redis, prefix, maxBytes: 1024 }),
        corrupt: (sha) => redis.set(artifactKey(prefix, sha), 'tampered'),
      };
    },
  ],
  [
    'postgres',
    () => ({
      store: new PostgresArtifactStore({ pool, maxBytes: 1024 }),
      corrupt: (sha) => pool.query(`update crew_artifacts set bytes = 'tampered'::bytea where sha256 = $1`, [sha]),
    }),
  ],
];

describe.each(stores)('%s artifact store', (_name, make) => {
  it('returns exactly the bytes stored under their sha256, and nothing for an unknown sha256', async () => {
    const { store } = make();
    const bytes = randomBytes(512);
    const sha = await store.put('plan-file', 'p-one', bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(await store.put('plan-file', 'p-one', bytes)).toBe(sha); // twice is harmless
    expect((await store.get(sha))?.equals(bytes)).toBe(true);
    expect(await store.get(sha256Hex('never stored'))).toBeUndefined();
  });

  it('refuses bytes that no longer match their sha256', async () => {
    const { store, corrupt } = make();
    const sha = await store.put('plan-json', 'p-two', Buffer.from('{"format_version":"1.2"}'));
    await corrupt(sha);
    await expect(store.get(sha)).rejects.toMatchObject({ code: 'CREW_ERR_ARTIFACT', message: /is corrupt/ });
  });

  it('refuses an artifact above the size cap with a clear error, storing nothing', async () => {
    const { store } = make();
    const bytes = randomBytes(2048);
    await expect(store.put('plan-file', 'p-big', bytes)).rejects.toMatchObject({
      code: 'CREW_ERR_ARTIFACT',
      message: /2048 bytes, above the artifact store's cap of 1024 bytes/,
    });
    expect(await store.get(sha256Hex(bytes))).toBeUndefined();
  });
});

describe('redis artifact store retention', () => {
  it('keeps each artifact for ARTIFACT_TTL_MS (8 days), then Redis drops it on its own', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const store = new RedisArtifactStore({ redis, prefix });
    const sha = await store.put('plan-json', 'p-ttl', Buffer.from('{"x":1}'));
    const ttl = await redis.pttl(artifactKey(prefix, sha));
    expect(ARTIFACT_TTL_MS).toBe(8 * 24 * 3600_000);
    expect(ttl).toBeGreaterThan(ARTIFACT_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(ARTIFACT_TTL_MS);
  });
});
