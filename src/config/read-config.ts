import { isAbsolute, join, resolve } from 'node:path';
import { CrewError } from '../errors.js';

export interface CrewConfig {
  dataDir: string;
  redisUrl?: string;
  logLevel: string;
  target: 'sandbox' | 'aws' | 'proxmox' | 'dns';
  region: string;
  vpcCidr: string;
  instanceTypes: string[];
  timezone: string;
  budgetUsd?: number;
  brakeRatio: number;
  approvers: string[];
  allowSelfApproval: boolean;
  approvalTtlMs: number;
  /** CLI identity hardening: the actor is the OS user mapped through identityMap. */
  strictIdentity: boolean;
  /** OS user → identity used for approvals (CREW_IDENTITY_MAP `alice=U0ALICE,…`). */
  identityMap: Record<string, string>;
  /** Which access-policy variables this environment sets (the crew's published policy may differ). */
  accessSettings: string[];
  policyFile?: string;
  ollamaHost?: string;
  ollamaModel: string;
  terraformBin: string;
  terraformTimeoutMs: number;
  /** How long a Terraform command waits for a state lock another Terraform holds (-lock-timeout). */
  terraformLockTimeoutSec: number;
  /** Lease of a stack lock; the Conductor renews it while the holding plan is active. */
  stackLockTtlMs: number;
  maxDeliveries: number;
  claimIdleMs: number;
  dnsZone: string;
  /** A plan in a working state this long is flagged as stuck. */
  stuckAfterMs: number;
  /** An agent silent this long is reported. */
  heartbeatStaleMs: number;
  /** Port for /metrics in long-running processes (serve, worker); unset: no server. */
  metricsPort?: number;
  metricsHost: string;
  /** Test hook: the process kills itself right after a plan enters this state. */
  faultKillAt?: string;
}

const TARGETS = ['sandbox', 'aws', 'proxmox', 'dns'] as const;

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Plain decimals only: Number() would read "0x10" as 16 and "1e3" as 1000.
  const n = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new CrewError('CREW_ERR_CONFIG', `${name}=${raw} is not a number between ${min} and ${max}`);
  }
  return n;
}

const ACCESS_VARIABLES = ['CREW_APPROVERS', 'CREW_ALLOW_SELF_APPROVAL', 'CREW_APPROVAL_TTL_MIN', 'CREW_STRICT_IDENTITY', 'CREW_IDENTITY_MAP'];

function flag(raw: string | undefined): boolean {
  return raw === '1' || raw === 'true';
}

function identityMap(raw: string | undefined): Record<string, string> {
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [user, id, ...rest] = pair.split('=').map((x) => x.trim());
    if (!user || !id || rest.length) throw new CrewError('CREW_ERR_CONFIG', `CREW_IDENTITY_MAP: "${pair}" is not osuser=identity (e.g. alice=U0ALICE)`);
    map[user] = id;
  }
  return { ...map };
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter(Boolean);
}

/** All configuration, read once from the environment, validated and frozen. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<CrewConfig> {
  const target = (env.CREW_TARGET ?? 'sandbox') as CrewConfig['target'];
  if (!TARGETS.includes(target)) {
    throw new CrewError('CREW_ERR_CONFIG', `CREW_TARGET=${target} is not one of ${TARGETS.join(', ')}`);
  }
  const dataDir = env.CREW_DATA_DIR ? (isAbsolute(env.CREW_DATA_DIR) ? env.CREW_DATA_DIR : resolve(cwd, env.CREW_DATA_DIR)) : join(cwd, '.crew');
  const budget = env.CREW_BUDGET_USD ? num(env, 'CREW_BUDGET_USD', 0, 0, 1e9) : undefined;
  const config: CrewConfig = {
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
    logLevel: env.CREW_LOG_LEVEL ?? 'warn',
    target,
    region: env.CREW_REGION ?? 'us-east-1',
    vpcCidr: env.CREW_VPC_CIDR ?? '10.42.0.0/16',
    instanceTypes: list(env.CREW_INSTANCE_TYPES).length ? list(env.CREW_INSTANCE_TYPES) : ['g4dn.xlarge'],
    timezone: env.CREW_TZ ?? 'UTC',
    budgetUsd: budget,
    brakeRatio: num(env, 'CREW_BRAKE_RATIO', 0.8, 0.01, 1),
    approvers: list(env.CREW_APPROVERS),
    allowSelfApproval: flag(env.CREW_ALLOW_SELF_APPROVAL),
    approvalTtlMs: num(env, 'CREW_APPROVAL_TTL_MIN', 60, 0.01, 7 * 24 * 60) * 60_000,
    strictIdentity: flag(env.CREW_STRICT_IDENTITY),
    identityMap: identityMap(env.CREW_IDENTITY_MAP),
    accessSettings: ACCESS_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== ''),
    policyFile: env.CREW_POLICY_FILE || undefined,
    ollamaHost: env.OLLAMA_HOST || undefined,
    ollamaModel: env.CREW_OLLAMA_MODEL ?? 'llama3.1:8b',
    terraformBin: env.CREW_TERRAFORM_BIN ?? 'terraform',
    terraformTimeoutMs: num(env, 'CREW_TF_TIMEOUT_SEC', 1800, 1, 86_400) * 1000,
    terraformLockTimeoutSec: num(env, 'CREW_TF_LOCK_TIMEOUT_SEC', 120, 0, 3600),
    stackLockTtlMs: num(env, 'CREW_LOCK_TTL_SEC', 6 * 3600, 1, 30 * 86_400) * 1000,
    maxDeliveries: num(env, 'CREW_MAX_DELIVERIES', 5, 1, 100),
    claimIdleMs: num(env, 'CREW_CLAIM_IDLE_MS', 60_000, 100, 3_600_000),
    dnsZone: env.CREW_DNS_ZONE ?? 'local',
    stuckAfterMs: num(env, 'CREW_STUCK_AFTER_MIN', 30, 1, 7 * 24 * 60) * 60_000,
    heartbeatStaleMs: num(env, 'CREW_HEARTBEAT_STALE_SEC', 120, 10, 86_400) * 1000,
    metricsPort: env.CREW_METRICS_PORT ? num(env, 'CREW_METRICS_PORT', 9464, 0, 65535) : undefined,
    metricsHost: env.CREW_METRICS_HOST ?? '127.0.0.1',
    faultKillAt: env.CREW_FAULT_KILL_AT || undefined,
  };
  return Object.freeze(config);
}
