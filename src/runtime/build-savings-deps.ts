import type { Redis } from 'ioredis';
import { atlasDefaultsFromConfig } from '../agents/atlas/atlas-context-from-config.js';
import type { SavingsDeps } from '../agents/finpilot/suggest-savings.js';
import { loadUsageFile } from '../agents/sentinel/cost/load-usage-file.js';
import { loadPolicy } from '../agents/sentinel/policy/load-policy.js';
import type { CrewConfig } from '../config/read-config.js';
import type { StackStore } from '../store/stack-store.js';

/** What the savings suggestions read, from the crew's configuration: Atlas's defaults and policy, Sentinel's usage file. */
export async function buildSavingsDeps(o: {
  config: Readonly<CrewConfig>;
  redis: Redis;
  stacks: Pick<StackStore, 'stacks' | 'current'>;
  prefix?: string;
  now?: () => Date;
}): Promise<SavingsDeps> {
  const policy = await loadPolicy(o.config.policyFile);
  const usage = o.config.usageFile ? await loadUsageFile(o.config.usageFile) : undefined;
  return {
    redis: o.redis,
    ...(o.prefix ? { prefix: o.prefix } : {}),
    stacks: o.stacks,
    atlas: {
      defaults: atlasDefaultsFromConfig(o.config),
      ...(policy ? { constraints: policy } : {}),
      ...(o.config.budgetUsd !== undefined ? { budgetUsd: o.config.budgetUsd } : {}),
    },
    region: o.config.region,
    ...(usage ? { usage } : {}),
    ...(o.now ? { now: o.now } : {}),
  };
}
