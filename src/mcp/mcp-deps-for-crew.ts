import type { Redis } from 'ioredis';
import { atlasContextFromConfig } from '../agents/atlas/atlas-context-from-config.js';
import { loadUsageFile } from '../agents/sentinel/cost/load-usage-file.js';
import { loadPolicy } from '../agents/sentinel/policy/load-policy.js';
import type { CrewConfig } from '../config/read-config.js';
import type { CrewRuntime } from '../runtime/start-crew.js';
import type { McpDeps } from './mcp-deps.js';

export interface McpCrew {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: Pick<CrewRuntime, 'ops' | 'plans' | 'stacks' | 'artifacts'>;
}

/** The MCP tools on a running crew: its operations and stores, its policy and usage files, its digest. */
export function mcpDepsForCrew({ config, redis, crew }: McpCrew): McpDeps {
  // Read once, as the crew's own processes read them at start.
  let policy: ReturnType<typeof loadPolicy> | undefined;
  const orgPolicy = () => (policy ??= loadPolicy(config.policyFile));
  return {
    ops: crew.ops,
    plans: crew.plans,
    artifacts: crew.artifacts,
    stacks: crew.stacks,
    atlasContext: async () => atlasContextFromConfig(config, await orgPolicy()),
    sentinelOptions: async () => {
      const p = await orgPolicy();
      const usage = config.usageFile ? await loadUsageFile(config.usageFile) : undefined;
      return { ...(p ? { policy: p } : {}), ...(usage ? { usage } : {}) };
    },
    costDigest: async () => {
      // FinPilot's digest loads when a client asks for it, as `crew digest` loads it.
      const { buildDigestReport, defaultDigestPeriod } = await import('../agents/finpilot/build-digest.js');
      const digestDeps = {
        redis,
        stacks: crew.stacks,
        region: config.region,
        budgetUsd: config.budgetUsd ?? null,
        brakeRatio: config.brakeRatio,
      };
      return (await buildDigestReport(digestDeps, await defaultDigestPeriod(digestDeps))).digest;
    },
  };
}
