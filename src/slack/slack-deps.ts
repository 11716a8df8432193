import type { Logger } from '../log/create-logger.js';
import type { PlanOperations } from '../conductor/plan-operations.js';
import type { PlanStore } from '../store/plan-store.js';
import type { StackStore } from '../store/stack-store.js';
import type { TriggerGuard } from './claim-once.js';
import type { ChannelPace } from './pace-channel.js';
import type { SlackConfig } from '../config/read-slack-settings.js';
import type { FinOpsHooks } from '../runtime/finops-hooks.js';

export type { FinOpsHooks };

/** Everything a Slack handler may use; handlers stay thin and call into these. */
export interface SlackDeps extends FinOpsHooks {
  config: Readonly<SlackConfig>;
  ops: PlanOperations;
  plans: PlanStore;
  stacks: StackStore;
  guard: TriggerGuard;
  logger: Logger;
  /** Resolved approver user ids (user groups expanded); empty: anyone but the requester. */
  approvers(): readonly string[];
  /** The crew-wide monthly budget, for the Home tab. */
  budgetUsd?: number;
  now?: () => Date;
  /** The process's one pace for chat.postMessage per channel (postAtPace). */
  pace?: ChannelPace;
  /** Told how long each slash command took to ack (metrics). */
  observeAck?: (seconds: number) => void;
}
