import type { Redis } from 'ioredis';
import { registerAtlas } from '../agents/atlas-agent.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../agents/atlas/default-atlas-defaults.js';
import { DnsChangeRunner } from '../agents/forge/dns-change-runner.js';
import { registerForge } from '../agents/forge/forge-agent.js';
import { readDnsTarget } from '../agents/forge/read-dns-target.js';
import { TerraformRunner } from '../agents/forge/terraform-runner.js';
import { TerraformChangeRunner } from '../agents/forge/terraform-change-runner.js';
import type { ChangeRunners } from '../agents/forge/change-runner.js';
import { registerSentinel } from '../agents/sentinel-agent.js';
import { lazyChangeRunner } from '../agents/forge/lazy-change-runner.js';
import { recordSpend } from '../agents/finpilot/spend-ledger.js';
import type { OrgPolicy } from '../agents/sentinel/policy/policy-types.js';
import { RedisBus } from '../bus/redis-bus.js';
import type { CrewConfig } from '../config/read-config.js';
import { Conductor } from '../conductor/conductor.js';
import { PlanOperations } from '../conductor/plan-operations.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { PlanState } from '../plan/plan-states.js';
import type { Logger } from '../log/create-logger.js';
import { PlanStore } from '../store/plan-store.js';
import { StackLock } from '../store/stack-lock.js';
import { StackQueue } from '../store/stack-queue.js';
import { StackScheduler } from '../conductor/stack-scheduler.js';
import { findStackOccupant } from '../conductor/find-stack-occupant.js';
import { watchCrew } from '../conductor/watch-crew.js';
import { StackStore } from '../store/stack-store.js';
import { AccessPolicyStore } from '../store/access-policy-store.js';
import { accessPolicyFromConfig } from '../access/access-policy.js';
import { hostname } from 'node:os';

export type Role = 'conductor' | 'atlas' | 'forge' | 'sentinel';
export const ALL_ROLES: readonly Role[] = ['conductor', 'atlas', 'forge', 'sentinel'];

export interface CrewRuntime {
  bus: RedisBus;
  plans: PlanStore;
  stacks: StackStore;
  lock: StackLock;
  conductor: Conductor;
  ops: PlanOperations;
  /** The crew's access policy as published in Redis (operator processes publish, everyone reads). */
  access: AccessPolicyStore;
  /** The rules this process's own configuration describes (what it publishes when it is the operator). */
  ownAccessPolicy(source: 'operator' | 'first-process'): ReturnType<typeof accessPolicyFromConfig>;
  /** Test hook: kills the process at a named point when CREW_FAULT_KILL_AT names it. */
  fault(point: string): void;
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
  /** Names this process in the access policy it sets (`crew serve`, `crew worker`, `crew plan`…). */
  processLabel?: string;
  /** How often the Conductor looks for expired approvals. */
  sweepIntervalMs?: number;
}

function faultHook(config: Readonly<CrewConfig>): (point: string) => void {
  return (point) => {
    // Test hook only: lets the crash-recovery tests kill the process at an exact step.
    if (config.faultKillAt === point) process.kill(process.pid, 'SIGKILL');
  };
}

/** The composition root: config → stores → bus → agents. */
export function startCrew(o: StartCrewOptions): CrewRuntime {
  const { config, logger, redis } = o;
  const roles = new Set(o.roles ?? ALL_ROLES);
  const prefix = o.prefix ?? 'crew';
  const fault = faultHook(config);
  const plans = new PlanStore({ redis, prefix, ...(o.now ? { now: o.now } : {}) });
  const stacks = new StackStore({ redis, prefix });
  const lock = new StackLock({ redis, prefix, ttlMs: config.stackLockTtlMs, findOccupant: findStackOccupant(plans) });
  const queue = new StackQueue({ redis, prefix });
  // The bus is built before the Conductor but reports dead letters to it.
  const late: { conductor?: Conductor } = {};
  const bus = new RedisBus({
    redis,
    logger,
    prefix,
    maxDeliveries: config.maxDeliveries,
    claimIdleMs: config.claimIdleMs,
    onDeadLetter: async (dl) => {
      logger.error({ topic: dl.topic, group: dl.group, planId: dl.planId, reason: dl.reason }, 'artifact dead-lettered');
      if (!dl.planId || !late.conductor) return;
      const reason = `dead letter on ${dl.topic}/${dl.group}: ${dl.reason}`;
      const plan = await plans.get(dl.planId);
      // Mid-apply the stack may be half changed: roll back rather than just fail.
      if (plan?.state === 'APPLYING') await late.conductor.startRollback(plan, 'APPLY_FAILED', 'bus', reason).catch(() => undefined);
      else await late.conductor.advance(dl.planId, 'DEAD_LETTER', 'bus', reason).catch(() => undefined);
    },
  });
  const label = `${o.processLabel ?? 'crew'} on ${hostname()} (pid ${process.pid})`;
  const ownAccessPolicy = (source: 'operator' | 'first-process') => accessPolicyFromConfig(config, { setBy: label, source, ...(o.now ? { now: o.now() } : {}) });
  // No rules stored yet (a fresh Redis): the first crew process sets them; operator processes replace them.
  const access = new AccessPolicyStore({ redis, prefix, fallback: () => ownAccessPolicy('first-process') });
  // The spend ledger behind digests and forecasts: what each stack costs from when.
  const recordLedger = async (plan: PlanRecord, to: PlanState) => {
    if (!plan.stack || (to !== 'DONE' && to !== 'ROLLED_BACK')) return;
    const monthlyUsd = to === 'DONE' ? (plan.validation?.cost.monthlyUsd ?? 0) : ((await stacks.version(plan.stack, plan.rollback?.toVersion ?? 0))?.monthlyUsd ?? 0);
    const at = (o.now?.() ?? new Date()).toISOString();
    await recordSpend(redis, { stack: plan.stack, monthlyUsd, at, planId: plan.id, kind: to === 'DONE' ? 'apply' : 'rollback' }, { prefix });
  };
  const scheduler = new StackScheduler({ bus, plans, stacks, lock, queue, logger });
  const conductor = new Conductor({
    bus, plans, stacks, lock, scheduler, logger, access,
    ...(o.now ? { now: o.now } : {}),
    onTransition: async (plan, from, to) => {
      logger.info({ planId: plan.id, from, to }, 'plan moved');
      await recordLedger(plan, to);
      await o.onTransition?.(plan, from, to);
      fault(to);
    },
  });
  late.conductor = conductor;
  const ops = new PlanOperations({ bus, plans, stacks, lock, conductor, access, ...(o.now ? { now: o.now } : {}) });

  if (roles.has('conductor')) conductor.register();
  if (roles.has('atlas')) {
    registerAtlas({
      bus, stacks, logger,
      defaults: { ...DEFAULT_ATLAS_DEFAULTS, region: config.region, vpcCidr: config.vpcCidr, instanceTypes: config.instanceTypes, timezone: config.timezone, target: config.target, brakeRatio: config.brakeRatio, dnsZone: config.dnsZone },
      ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
      ...(o.policy ? { constraints: o.policy } : {}),
      ...(config.ollamaHost ? { llm: { host: config.ollamaHost, model: config.ollamaModel } } : {}),
    });
  }
  if (roles.has('sentinel')) registerSentinel({ bus, plans, stacks, logger, redis, prefix, defaultRegion: config.region, ...(o.policy ? { policy: o.policy } : {}), ...(o.now ? { now: o.now } : {}) });
  if (roles.has('forge')) {
    const runner = new TerraformRunner({
      bin: config.terraformBin,
      timeoutMs: config.terraformTimeoutMs,
      lockTimeoutSec: config.terraformLockTimeoutSec,
      onLog: (line) => logger.debug({ tf: line }),
    });
    const tfRunner = new TerraformChangeRunner(runner, o.onTerraform, { ...(o.now ? { clock: o.now } : {}) });
    const dnsTarget = readDnsTarget();
    const runners: ChangeRunners = {
      'aws-spot-ollama': tfRunner,
      'proxmox-k3s': tfRunner,
      'asg-schedule': lazyChangeRunner(async () => {
        const [{ AsgScheduleChangeRunner }, aws] = await Promise.all([import('../agents/finpilot/asg-schedule-runner.js'), import('../agents/finpilot/aws-clients.js')]);
        const autoScaling = aws.createAutoScalingClient(aws.readAwsOptions(process.env, config.region));
        return new AsgScheduleChangeRunner({ autoScaling: () => autoScaling, defaultRegion: config.region });
      }),
      ...(dnsTarget ? { 'dns-record': new DnsChangeRunner({ target: dnsTarget, onLog: (line) => logger.debug({ ansible: line }) }) } : {}),
    };
    registerForge({ bus, plans, stacks, redis, prefix, logger, dataDir: config.dataDir, runners, fault, ...(o.now ? { now: o.now } : {}) });
  }

  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  if (roles.has('conductor')) {
    const sweep = () => {
      const now = o.now ?? (() => new Date());
      sweeping ??= Promise.all([
        ops.sweepExpired(),
        conductor.reconcile(),
        scheduler.renewLocks(),
        watchCrew({ bus, plans, redis, prefix, now, stuckAfterMs: config.stuckAfterMs, staleAfterMs: config.heartbeatStaleMs }),
      ])
        .then(() => undefined, (err: unknown) => logger.warn({ err }, 'sweep failed'))
        .finally(() => (sweeping = undefined));
    };
    sweep();
    sweeper = setInterval(sweep, o.sweepIntervalMs ?? 5_000);
    sweeper.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    bus, plans, stacks, lock, conductor, ops, access, ownAccessPolicy, fault,
    close: () => {
      closing ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        await sweeping;
        await bus.close();
      })();
      return closing;
    },
  };
}
