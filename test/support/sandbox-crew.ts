import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { readConfig, type CrewConfig } from '../../src/config/read-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../src/runtime/start-crew.js';
import { createDataDir, type TempDataDir } from './aws-target.js';
import { startRedis, type TestRedis } from './redis-server.js';

// An in-process crew on the embedded defaults (sandbox target, no DNS server, no cloud), as the
// quick start runs: a private redis-server, its own data dir, an empty Terraform CLI config.

export interface SandboxCrew {
  server: TestRedis;
  redis: Redis;
  crew: CrewRuntime;
  config: Readonly<CrewConfig>;
  data: TempDataDir;
  close(): Promise<void>;
}

export async function startSandboxCrew(dataPrefix: string): Promise<SandboxCrew> {
  const server = await startRedis({ aof: false });
  const redis = server.client();
  const data = createDataDir(dataPrefix);
  const rc = join(data.dir, 'empty.terraformrc');
  writeFileSync(rc, '');
  const config = readConfig({ CREW_DATA_DIR: data.dir, TF_CLI_CONFIG_FILE: rc, PATH: process.env.PATH ?? '' });
  const crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
  });
  return {
    server,
    redis,
    crew,
    config,
    data,
    close: async () => {
      await crew.close();
      redis.disconnect();
      await server.stop();
      data.cleanup();
    },
  };
}
