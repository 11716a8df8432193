import { hostname } from 'node:os';
import { CrewError } from '../errors.js';
import type { Redis } from 'ioredis';
import { accessPolicyFromConfig, type AccessPolicy } from '../access/access-policy.js';
import { recordTransitionSpend } from '../agents/finpilot/record-transition-spend.js';
import { watchRollouts } from '../agents/forge/watch-rollouts.js';
import { RolloutWatchStore } from '../store/rollout-watch-store.js';
import { outputDirsRemoved } from '../agents/forge/output-dirs.js';
import type { OrgPolicy } from '../agents/sentinel/policy/policy-types.js';
import { RedisBus } from '../bus/redis-bus.js';
import { Conductor } from '../conductor/conductor.js';
import { findStackOccupant } from '../conductor/find-stack-occupant.js';
import { PlanOperations } from '../conductor/plan-operations.js';
import { settleDeadLetter } from '../conductor/settle-dead-letter.js';
import { createConductor } from '../conductor/create-conductor.js';
import type { AwsCredentials } from '../config/read-aws-settings.js';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanState } from '../plan/plan-states.js';
import { SharedSubscriber } from '../redis/shared-subscriber.js';
import { AccessPolicyStore } from '../store/access-policy-store.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { AuditSink } from '../store/audit-sink.js';
import { PlanStore } from '../store/plan-store.js';
import { RedisArtifactStore } from '../store/redis-artifact-store.js';
import { StackLock } from '../store/stack-lock.js';
import { StackQueue } from '../store/stack-queue.js';
import { StackStore } from '../store/stack-store.js';
import { SlackClaimStore } from '../store/slack-claim-store.js';
import { registerAgents } from './register-agents.js';
import { startSweeper, type Sweeper } from './start-sweeper.js';

import { ALL_ROLES, type Role } from './crew-roles.js';

export { ALL_ROLES, type Role } from './crew-roles.js';

export interface CrewRuntime {
  bus: RedisBus;
  plans: PlanStore;
  /** Plan files and plan JSON by sha256, shared by every host. */
  artifacts: ArtifactStore;
  stacks: StackStore;
  lock: StackLock;
  conductor: Conductor;
  ops: PlanOperations;
  /** The crew's access policy as published in Redis (operator processes publish, everyone reads). */
  access: AccessPolicyStore;
  /**
   * The rules this process's own configuration describes (what it publishes when it is the
   * operator); `approvers` replaces the configured ones, e.g. with Slack user groups expanded.
   */
  ownAccessPolicy(source: 'operator' | 'first-process', approvers?: readonly string[]): AccessPolicy;
  /** Test hook: kills the process at a named point when CREW_FAULT_KILL_AT names it. */
  fault(point: string): void;
  /** The roles this process runs so far. */
  roles(): Role[];
  /**
   * Starts more roles in this process (their consumer groups joined from now on), e.g. once a
   * command knows what its plan still needs. Roles already running are left as they are.
   */
  join(roles: readonly Role[]): void;
  /** Resolves once the agents' code is readied (`warm`; at once without it); never rejects. */
  warmed(): Promise<void>;
  close(): Promise<void>;
}

export interface StartCrewOptions {
  config: Readonly<CrewConfig>;
  logger: Logger;
  redis: Redis;
  roles?: readonly Role[];
  policy?: OrgPolicy;
  prefix?: string;
  now?: () => Date;
  onTransition?: (plan: PlanRecord, from: PlanState, to: PlanState) => void | Promise<void>;
  /** Told how long each Terraform command took (metrics). */
  onTerraform?: (command: string, seconds: number) => void;
  /** Told how long each Terraform process ran, spawn to exit (benchmarks: the crew's own time around it is not Terraform's). */
  onTerraformProcess?: (command: string, seconds: number) => void;
  /** Vault's AWS secrets engine, for terraform of the aws target (CREW_AWS_VAULT_ROLE). */
  readAwsCredentials?: (mount: string, role: string) => Promise<AwsCredentials>;
  /** Names this process in the access policy it sets (`crew serve`, `crew worker`, `crew plan`…). */
  processLabel?: string;
  /** Plan files and plan JSON by sha256 (default: in Redis). */
  artifacts?: ArtifactStore;
  /** Where every transition, refusal and decision is also written (default: nowhere but Redis). */
  audit?: AuditSink;
  /** How often the Conductor looks for expired approvals. */
  sweepIntervalMs?: number;
  /**
   * A long-running process (crew worker, serve, api): readies its agents' code in the background
   * at start, so its first plan does not pay for it (registerAgents). A command that plans once
   * and exits does not: the work would only compete with its own.
   */
  warm?: boolean;
}

function faultHook(config: Readonly<CrewConfig>): (point: string) => void {
  return (point) => {
    // Test hook only: lets the crash-recovery tests kill the process at an exact step.
    if (config.faultKillAt === point) process.kill(process.pid, 'SIGKILL');
  };
}

/** How long a crew keeps its plan watchers' connection open with nobody watching. */
const WATCH_LINGER_MS = 60_000;

/** The crew on one Redis connection: stores → bus → Conductor → the agents of `roles`. */
export function startCrew(o: StartCrewOptions): CrewRuntime {
  const { config, logger, redis } = o;
  const prefix = o.prefix ?? 'crew';
  const clock = o.now ? { now: o.now } : {};
  const fault = faultHook(config);
  // Kept open between waits (a worker watches plan after plan); closed with the crew.
  const subscriber = new SharedSubscriber(redis, { lingerMs: WATCH_LINGER_MS });
  const plans = new PlanStore({ redis, prefix, subscriber, ...clock, ...(o.audit ? { audit: o.audit } : {}) });
  const artifacts = o.artifacts ?? new RedisArtifactStore({ redis, prefix });
  const stacks = new StackStore({ redis, prefix });
  const lock = new StackLock({ redis, prefix, ttlMs: config.stackLockTtlMs, findOccupant: findStackOccupant(plans) });
  const queue = new StackQueue({ redis, prefix });
  // The bus is built before the Conductor but reports dead letters to it (it delivers nothing before startCrew returns).
  const bus: RedisBus = new RedisBus({
    redis,
    logger,
    prefix,
    maxDeliveries: config.maxDeliveries,
    claimIdleMs: config.claimIdleMs,
    onDeadLetter: (dl) => settleDeadLetter(dl, { plans, logger, conductor }),
  });
  const label = `${o.processLabel ?? 'crew'} on ${hostname()} (pid ${process.pid})`;
  const ownAccessPolicy = (source: 'operator' | 'first-process', approvers?: readonly string[]) =>
    accessPolicyFromConfig(approvers ? { ...config, approvers: [...approvers] } : config, {
      setBy: label,
      source,
      ...(o.policy?.approvals || o.policy?.autoApprove
        ? {
            quorum: {
              approvals: o.policy.approvals ?? { required: 1 },
              autoApprove: [...(o.policy.autoApprove ?? [])],
            },
          }
        : {}),
      ...(o.now ? { now: o.now() } : {}),
    });
  // No rules stored yet (a fresh Redis): the first crew process sets them; operator processes replace them.
  const access = new AccessPolicyStore({ redis, prefix, fallback: () => ownAccessPolicy('first-process') });
  const recordSpend = recordTransitionSpend({ redis, stacks, prefix, ...clock });
  const watchRollout = watchRollouts({
    watches: new RolloutWatchStore({ redis, prefix }),
    plans,
    stacks,
    region: config.region,
  });
  const { conductor, scheduler } = createConductor({
    bus,
    plans,
    stacks,
    lock,
    queue,
    logger,
    access,
    ...clock,
    onTransition: async (plan, from, to) => {
      logger.info({ planId: plan.id, from, to }, 'plan moved');
      await recordSpend(plan, to);
      await watchRollout(plan, to);
      await o.onTransition?.(plan, from, to);
      fault(to);
    },
  });
  const claims = new SlackClaimStore({ redis, prefix });
  const ops = new PlanOperations({ bus, plans, stacks, lock, conductor, access, claims, ...clock });

  const joined = new Set<Role>();
  let sweeper: Sweeper | undefined;
  let closing: Promise<void> | undefined;
  let warmed = Promise.resolve();
  const join = (wanted: readonly Role[]) => {
    if (closing) throw new CrewError('CREW_ERR_CLOSED', 'this crew process is closing: it joins no more roles');
    const fresh = new Set(wanted.filter((r) => !joined.has(r)));
    if (fresh.size === 0) return;
    for (const r of fresh) joined.add(r);
    if (fresh.has('conductor')) conductor.register();
    const readied = registerAgents({
      roles: fresh,
      config,
      logger,
      redis,
      prefix,
      bus,
      plans,
      artifacts,
      stacks,
      fault,
      ...clock,
      ...(o.warm ? { warm: true } : {}),
      ...(o.policy ? { policy: o.policy } : {}),
      ...(o.onTerraform ? { onTerraform: o.onTerraform } : {}),
      ...(o.onTerraformProcess ? { onTerraformProcess: o.onTerraformProcess } : {}),
      ...(o.readAwsCredentials ? { readAwsCredentials: o.readAwsCredentials } : {}),
    });
    warmed = Promise.all([warmed, readied]).then(() => undefined);
    if (fresh.has('conductor')) {
      sweeper = startSweeper({
        bus,
        plans,
        redis,
        prefix,
        ops,
        conductor,
        scheduler,
        logger,
        ...clock,
        intervalMs: o.sweepIntervalMs ?? 5_000,
        stuckAfterMs: config.stuckAfterMs,
        staleAfterMs: config.heartbeatStaleMs,
      });
    }
  };
  join(o.roles ?? ALL_ROLES);
  return {
    bus,
    plans,
    artifacts,
    stacks,
    lock,
    conductor,
    ops,
    access,
    ownAccessPolicy,
    fault,
    roles: () => ALL_ROLES.filter((r) => joined.has(r)),
    join,
    warmed: () => warmed,
    close: () => {
      closing ??= (async () => {
        await sweeper?.stop();
        await bus.close();
        await subscriber.close();
        // Terraform runs' output directories still being removed in the background.
        await outputDirsRemoved();
      })();
      return closing;
    },
  };
}
