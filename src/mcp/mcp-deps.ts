import type { CostDigest } from '../../contracts/index.js';
import type { AtlasContext } from '../agents/atlas/atlas-types.js';
import type { StackSpecs } from '../agents/atlas/draft-with-stacks.js';
import type { SentinelOptions } from '../agents/sentinel/evaluate-plan.js';
import type { PlanOperations } from '../conductor/plan-operations.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';

/** What the MCP tools reach: the shared operations and stores, and the crew's own settings. */
export interface McpDeps {
  ops: PlanOperations;
  plans: Pick<PlanStore, 'get' | 'state' | 'recent' | 'history' | 'watch' | 'approvals'>;
  /** Where the plan JSON lives, for the list of resource changes (else the record's path). */
  artifacts?: ArtifactStore;
  /** Atlas's context for parse_goal: the crew's defaults, policy and LLM. */
  atlasContext(): Promise<AtlasContext>;
  /** The crew's applied stacks, read as a goal names them (a change request merges into one). */
  stacks: StackSpecs;
  /** The crew's org policy and usage file for check_plan_json; never a file the client names. */
  sentinelOptions(): Promise<Pick<SentinelOptions, 'policy' | 'usage'>>;
  costDigest(): Promise<CostDigest>;
  /** How long plan_infrastructure waits for the review before answering with the state so far. */
  reviewWaitMs?: number;
  pollMs?: number;
}

/** Who is calling, asked for each call: the CLI's identity rules can change while a server runs. */
export type WhoIsCalling = () => Promise<string>;
