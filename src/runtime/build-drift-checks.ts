import type { Redis } from 'ioredis';
import type { DriftRunOptions } from '../agents/forge/drift-run.js';
import { DriftStore } from '../store/drift-store.js';
import { TerraformChangeRunner } from '../agents/forge/terraform-change-runner.js';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import { buildChangeRunners } from './build-change-runners.js';
import type { CrewRuntime } from './start-crew.js';

export interface BuildDriftChecksOptions {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: CrewRuntime;
  logger: Logger;
  prefix?: string;
  now?: () => Date;
}

/** Drift checks wired to this crew: Forge's Terraform runner, the crew's stores and bus. */
export function buildDriftChecks(o: BuildDriftChecksOptions): DriftRunOptions {
  const runners = buildChangeRunners({ config: o.config, logger: o.logger, ...(o.now ? { now: o.now } : {}) });
  const prefix = o.prefix ?? 'crew';
  return {
    redis: o.redis,
    prefix,
    bus: o.crew.bus,
    plans: o.crew.plans,
    stacks: o.crew.stacks,
    artifacts: o.crew.artifacts,
    store: new DriftStore({ redis: o.redis, prefix }),
    dataDir: o.config.dataDir,
    leaseMs: o.config.drift.leaseMs,
    plannerFor: (spec) => {
      const r = runners[spec.blueprint];
      return r instanceof TerraformChangeRunner ? r : undefined;
    },
    fault: (point) => o.crew.fault(point),
    ...(o.now ? { now: o.now } : {}),
  };
}
