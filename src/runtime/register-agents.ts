import type { Redis } from 'ioredis';
import { registerAtlas, warmAtlas } from '../agents/atlas-agent.js';
import { atlasDefaultsFromConfig } from '../agents/atlas/atlas-context-from-config.js';
import { registerForge } from '../agents/forge/forge-agent.js';
import { registerSentinel, warmSentinelOnce } from '../agents/sentinel-agent.js';
import { warmForge } from '../agents/forge/warm-forge.js';
import { warmValidators, warmValidatorsOnce } from '../bus/warm-validators.js';
import type { OrgPolicy } from '../agents/sentinel/policy/policy-types.js';
import type { RedisBus } from '../bus/redis-bus.js';
import type { AwsCredentials } from '../config/read-aws-settings.js';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';
import type { StackStore } from '../store/stack-store.js';
import { buildChangeRunners } from './build-change-runners.js';
import { sharedScheduleBaselines } from './shared-schedule-baselines.js';
import { ScheduleBaselineStore } from '../store/schedule-baseline-store.js';

export interface RegisterAgentsOptions {
  roles: ReadonlySet<string>;
  config: Readonly<CrewConfig>;
  logger: Logger;
  redis: Redis;
  prefix: string;
  bus: RedisBus;
  plans: PlanStore;
  artifacts: ArtifactStore;
  stacks: StackStore;
  policy?: OrgPolicy;
  now?: () => Date;
  onTerraform?: (command: string, seconds: number) => void;
  /** Told how long each Terraform process ran, spawn to exit. */
  onTerraformProcess?: (command: string, seconds: number) => void;
  /** Vault's AWS secrets engine, for terraform of the aws target (CREW_AWS_VAULT_ROLE). */
  readAwsCredentials?: (mount: string, role: string) => Promise<AwsCredentials>;
  fault: (point: string) => void;
  /** Ready the agents' code (artifact validators, Atlas's parser, Forge's renderers, Sentinel's rules) in the background now (long-running processes). */
  warm?: boolean;
}

/**
 * Puts this process's agents (Atlas, Sentinel, Forge) on the bus, configured from the crew's
 * config. Resolves once their code is readied (`warm`; at once without it); never rejects.
 */
export function registerAgents(o: RegisterAgentsOptions): Promise<void> {
  const { roles, config, logger, redis, prefix, bus, plans, stacks, fault, artifacts } = o;
  const atlasDefaults = atlasDefaultsFromConfig(config);
  // After this turn (the process finishes starting first), one after another: they share a thread.
  const warmed = o.warm
    ? new Promise<void>((resolve) =>
        setImmediate(() => {
          void (async () => {
            // Every process publishes and reads artifacts, whatever its roles.
            warmValidators();
            // Forge renders the spec Atlas's warm-up read (a Forge-only process reads it too).
            const read = roles.has('atlas') || roles.has('forge') ? await warmAtlas(atlasDefaults) : [];
            const sample = read.find((r) => r.kind === 'spec');
            if (roles.has('forge') && sample?.kind === 'spec') warmForge(sample.spec);
            if (roles.has('sentinel')) await warmSentinelOnce();
          })().then(resolve, resolve);
        }),
      )
    : Promise.resolve();
  if (roles.has('atlas')) {
    registerAtlas({
      bus,
      stacks,
      logger,
      defaults: atlasDefaults,
      ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
      ...(o.policy ? { constraints: o.policy } : {}),
      ...(config.ollamaHost ? { llm: { host: config.ollamaHost, model: config.ollamaModel } } : {}),
    });
  }
  if (roles.has('sentinel'))
    registerSentinel({
      bus,
      plans,
      artifacts,
      stacks,
      logger,
      redis,
      prefix,
      defaultRegion: config.region,
      ...(config.usageFile ? { usageFile: config.usageFile } : {}),
      ...(o.policy ? { policy: o.policy } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
  if (roles.has('forge')) {
    // While Terraform's first command runs this process would sit idle: what follows the plan
    // is readied then (once per process, and not again where the start-up warm-up did it), so
    // neither the plan's review nor its artifacts wait for their code. A one-shot `crew plan`
    // gains most: nothing else readies it.
    const readyAfterPlan = () => {
      warmValidatorsOnce();
      if (roles.has('sentinel')) void warmSentinelOnce();
    };
    const runners = buildChangeRunners({
      config,
      logger,
      ...(o.now ? { now: o.now } : {}),
      ...(o.onTerraform ? { onTerraform: o.onTerraform } : {}),
      ...(o.onTerraformProcess ? { onTerraformProcess: o.onTerraformProcess } : {}),
      onTerraformStarted: readyAfterPlan,
      ...(o.readAwsCredentials ? { readAwsCredentials: o.readAwsCredentials } : {}),
      scheduleBaselines: sharedScheduleBaselines(new ScheduleBaselineStore({ redis, prefix })),
    });
    registerForge({
      bus,
      plans,
      stacks,
      redis,
      prefix,
      logger,
      dataDir: config.dataDir,
      artifacts,
      runners,
      fault,
      ...(o.now ? { now: o.now } : {}),
    });
  }
  return warmed;
}
