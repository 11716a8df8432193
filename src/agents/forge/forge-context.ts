import type { PlanSpec } from '../../../contracts/index.js';
import type { ArtifactBus } from '../../bus/artifact-bus.js';
import type { Logger } from '../../log/create-logger.js';
import type { AppliedMarkerStore } from '../../store/applied-marker-store.js';
import type { ArtifactStore } from '../../store/artifact-store.js';
import type { PlanStore } from '../../store/plan-store.js';
import type { StackStore } from '../../store/stack-store.js';
import type { Redis } from 'ioredis';
import type { ChangeRunner, ChangeRunners } from './change-runner.js';

/** Forge's producer name and consumer group on the bus. */
export const FORGE = 'forge';

export interface ForgeAgentOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  redis: Redis;
  prefix?: string;
  logger: Logger;
  dataDir: string;
  /** Where plan files and plan JSON go for any host to fetch by sha256 (Redis, or PostgreSQL). */
  artifacts: ArtifactStore;
  /** How each blueprint is planned and applied. */
  runners: ChangeRunners;
  now?: () => Date;
  /** Test hook: called at named points so a test can kill the process there. */
  fault?: (point: string) => void;
}

/** What Forge's handlers (build, apply, rollback) share. */
export interface ForgeContext {
  readonly options: ForgeAgentOptions;
  now(): Date;
  /** Marks the plans whose apply finished, so a redelivered request is answered without Terraform. */
  readonly marker: AppliedMarkerStore;
  /** Plan files and plan JSON by sha256, for a Forge or Sentinel whose data dir lacks them. */
  readonly artifacts: ArtifactStore;
  /** The runner for a blueprint; throws for one this crew cannot build. */
  runnerFor(spec: PlanSpec): ChangeRunner;
}
