import type { Pool } from 'pg';
import { sha256Hex } from '../util/new-id.js';
import { checkArtifactBytes, checkArtifactSize, type ArtifactKind, type ArtifactStore } from './artifact-store.js';

/** The artifact store on PostgreSQL (CREW_DATABASE_URL): one bytea row per sha256, kept until removed. */
export class PostgresArtifactStore implements ArtifactStore {
  private readonly pool: Pool;
  private readonly maxBytes: number | undefined;

  constructor(options: { pool: Pool; maxBytes?: number }) {
    this.pool = options.pool;
    this.maxBytes = options.maxBytes;
  }

  async put(kind: ArtifactKind, planId: string, bytes: Buffer): Promise<string> {
    checkArtifactSize(kind, planId, bytes, this.maxBytes);
    const sha256 = sha256Hex(bytes);
    // One statement is one transaction: the row is there whole or not at all.
    await this.pool.query(
      `insert into crew_artifacts (sha256, kind, plan_id, size, bytes) values ($1, $2, $3, $4, $5)
       on conflict (sha256) do nothing`,
      [sha256, kind, planId, bytes.length, bytes],
    );
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>('select bytes from crew_artifacts where sha256 = $1', [
      sha256,
    ]);
    const row = rows[0];
    return row ? checkArtifactBytes(sha256, row.bytes) : undefined;
  }
}
