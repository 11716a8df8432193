import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew } from '../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

let server: TestRedis;
let redis: Redis;
let dataDir: string;

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-warm-'));
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a long-running crew process readies its agents at start', () => {
  it('says when its agents are readied, and a one-shot process has nothing to ready', async () => {
    const open = (warm: boolean, prefix: string) =>
      startCrew({
        config: readConfig({ CREW_DATA_DIR: dataDir }),
        logger: createLogger({ level: 'silent' }),
        redis,
        prefix,
        ...(warm ? { warm: true } : {}),
      });
    const long = open(true, 'warm-long');
    const once = open(false, 'warm-once');
    try {
      let readied = false;
      const waiting = long.warmed().then(() => (readied = true));
      // Not in the turn that started it: the process finishes starting first.
      await Promise.resolve();
      expect(readied).toBe(false);
      await waiting;
      expect(readied).toBe(true);
      await expect(once.warmed()).resolves.toBeUndefined();
    } finally {
      await long.close();
      await once.close();
    }
  }, 30_000);
});
