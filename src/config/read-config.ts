import { isAbsolute, join, resolve } from 'node:path';
import { readRedisSettings } from './read-redis-settings.js';
import { CrewError } from '../errors.js';
import { deepFreeze } from './deep-freeze.js';
import { readAuthzSettings, type AuthzSettings } from './read-authz-settings.js';
import { readApiSettings, type ApiSettings } from './read-api-settings.js';
import { readAwsSettings, type AwsSettings } from './read-aws-settings.js';
import { readDnsTarget, type DnsTarget } from './read-dns-settings.js';
import { readFlag, readList, readNumber, type EnvSource } from './read-env-values.js';
import { readInheritedEnv, readOsUser } from './read-host-settings.js';
import { readProxmoxSettings, type ProxmoxSettings } from './read-proxmox-settings.js';
import { readSlackSettings, type SlackSettings } from './read-slack-settings.js';
import { readTerraformSettings, type TerraformSettings } from './read-terraform-settings.js';
import { readUsageFileSetting } from './read-usage-file-setting.js';

export interface CrewConfig {
  dataDir: string;
  redisUrl?: string;
  /** Redis Cluster: REDIS_URL lists several nodes, or CREW_REDIS_CLUSTER=1. */
  redisCluster: boolean;
  /** PostgreSQL for artifacts and the audit trail (CREW_DATABASE_URL); unset: artifacts in Redis, no audit table. */
  databaseUrl?: string;
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
  /** Who may do what as policy (CREW_AUTHZ_POLICY, CREW_OPA_URL, CREW_AUTHZ_GROUPS); unset: the built-in policy. */
  authz?: AuthzSettings;
  /** Which access-policy variables this environment sets (the crew's published policy may differ). */
  accessSettings: string[];
  /** The OS user running this process (USER when the system cannot say). */
  osUser: string;
  /** Names this process in heartbeats (CREW_INSTANCE); unset: host:pid. */
  instance?: string;
  policyFile?: string;
  /** Infracost usage file for Sentinel's usage-based costs (CREW_USAGE_FILE). */
  usageFile?: string;
  ollamaHost?: string;
  ollamaModel: string;
  terraformBin: string;
  terraformTimeoutMs: number;
  /** How long a Terraform command waits for a state lock another Terraform holds (-lock-timeout). */
  terraformLockTimeoutSec: number;
  /** State backend, provider mirror and AWS credentials of terraform (CREW_TF_BACKEND, CREW_TF_PLUGIN_MIRROR, …). */
  terraform: TerraformSettings;
  /** The proxmox target: API endpoint and token, and how playbooks/k3s logs in after an apply. */
  proxmox: ProxmoxSettings;
  /** What terraform and ansible-playbook may inherit from this process: PATH, HOME, LANG, TF_*, ANSIBLE_*. */
  inheritedEnv: Record<string, string>;
  /** Lease of a stack lock; the Conductor renews it while the holding plan is active. */
  stackLockTtlMs: number;
  maxDeliveries: number;
  claimIdleMs: number;
  dnsZone: string;
  /** The BIND server of the dns target (CREW_DNS_SERVER, TSIG key); unset: no dns target. */
  dnsTarget?: DnsTarget;
  /** FinPilot's AWS clients. */
  aws: AwsSettings;
  /** The scheduled cost digest of `crew serve`: where it is posted and when. */
  digest: { channel?: string; cron?: string };
  /** When `crew serve` checks every applied stack for drift (CREW_DRIFT_CRON, read in CREW_TZ). */
  drift: { cron?: string; leaseMs: number };
  /** When `crew serve` posts the weekly savings suggestions (CREW_SUGGEST_CRON, read in CREW_TZ) to the digest channel. */
  suggest: { cron?: string };
  /** The Slack surface; only `crew serve` requires its tokens. */
  slack: SlackSettings;
  /** A plan in a working state this long is flagged as stuck. */
  stuckAfterMs: number;
  /** How often a long-running crew asks AWS how the instance refreshes of its applies are going. */
  rolloutPollMs: number;
  /** Stream entries older than this are trimmed (never one still pending): CREW_STREAM_RETENTION, days. */
  streamRetentionMs: number;
  /** Ended plans' records leave Redis this long after their last change: CREW_PLAN_RETENTION, days. */
  planRetentionMs: number;
  /** An agent silent this long is reported. */
  heartbeatStaleMs: number;
  /** Port for /metrics in long-running processes (serve, worker); unset: no server. */
  metricsPort?: number;
  metricsHost: string;
  /** The HTTP API (CREW_API_PORT, CREW_API_HOST, CREW_API_TOKENS); served only when a port is set. */
  api: ApiSettings;
  /** Test hook: the process kills itself right after a plan enters this state. */
  faultKillAt?: string;
}

const DAY_MS = 86_400_000;

const TARGETS = ['sandbox', 'aws', 'proxmox', 'dns'] as const;

const ACCESS_VARIABLES = [
  'CREW_APPROVERS',
  'CREW_ALLOW_SELF_APPROVAL',
  'CREW_APPROVAL_TTL_MIN',
  'CREW_STRICT_IDENTITY',
  'CREW_IDENTITY_MAP',
  'CREW_AUTHZ_POLICY',
  'CREW_OPA_URL',
  'CREW_AUTHZ_GROUPS',
];

function identityMap(raw: string | undefined): Record<string, string> {
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [user, id, ...rest] = pair.split('=').map((x) => x.trim());
    if (!user || !id || rest.length)
      throw new CrewError(
        'CREW_ERR_CONFIG',
        `CREW_IDENTITY_MAP: "${pair}" is not osuser=identity (e.g. alice=U0ALICE)`,
      );
    map[user] = id;
  }
  return { ...map };
}

/**
 * All configuration, read once from the environment, validated and deep-frozen. Secrets (Slack
 * tokens, the TSIG key, an AWS key, the Proxmox API token) come from `secrets` (Vault, else the environment: what
 * readSecrets returns); without it, from `env`.
 */
export function readConfig(
  env: EnvSource = process.env,
  cwd = process.cwd(),
  secrets: EnvSource = env,
): Readonly<CrewConfig> {
  const target = (env.CREW_TARGET ?? 'sandbox') as CrewConfig['target'];
  if (!TARGETS.includes(target)) {
    throw new CrewError('CREW_ERR_CONFIG', `CREW_TARGET=${target} is not one of ${TARGETS.join(', ')}`);
  }
  const dataDir = env.CREW_DATA_DIR
    ? isAbsolute(env.CREW_DATA_DIR)
      ? env.CREW_DATA_DIR
      : resolve(cwd, env.CREW_DATA_DIR)
    : join(cwd, '.crew');
  const budget = env.CREW_BUDGET_USD ? readNumber(env, 'CREW_BUDGET_USD', 0, 0, 1e9) : undefined;
  const region = env.CREW_REGION ?? 'us-east-1';
  const dnsTarget = readDnsTarget(env, secrets);
  const authz = readAuthzSettings(env, cwd);
  const config: CrewConfig = {
    dataDir,
    ...readRedisSettings(env),
    ...(secrets.CREW_DATABASE_URL ? { databaseUrl: secrets.CREW_DATABASE_URL } : {}),
    logLevel: env.CREW_LOG_LEVEL ?? 'warn',
    target,
    region,
    vpcCidr: env.CREW_VPC_CIDR ?? '10.42.0.0/16',
    instanceTypes: readList(env.CREW_INSTANCE_TYPES).length ? readList(env.CREW_INSTANCE_TYPES) : ['g4dn.xlarge'],
    timezone: env.CREW_TZ ?? 'UTC',
    budgetUsd: budget,
    brakeRatio: readNumber(env, 'CREW_BRAKE_RATIO', 0.8, 0.01, 1),
    approvers: readList(env.CREW_APPROVERS),
    allowSelfApproval: readFlag(env.CREW_ALLOW_SELF_APPROVAL),
    approvalTtlMs: readNumber(env, 'CREW_APPROVAL_TTL_MIN', 60, 0.01, 7 * 24 * 60) * 60_000,
    strictIdentity: readFlag(env.CREW_STRICT_IDENTITY),
    identityMap: identityMap(env.CREW_IDENTITY_MAP),
    ...(authz ? { authz } : {}),
    accessSettings: ACCESS_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== ''),
    osUser: readOsUser(env),
    ...(env.CREW_INSTANCE !== undefined ? { instance: env.CREW_INSTANCE } : {}),
    policyFile: env.CREW_POLICY_FILE || undefined,
    usageFile: readUsageFileSetting(env),
    ollamaHost: env.OLLAMA_HOST || undefined,
    ollamaModel: env.CREW_OLLAMA_MODEL ?? 'llama3.1:8b',
    terraformBin: env.CREW_TERRAFORM_BIN ?? 'terraform',
    terraformTimeoutMs: readNumber(env, 'CREW_TF_TIMEOUT_SEC', 1800, 1, 86_400) * 1000,
    terraformLockTimeoutSec: readNumber(env, 'CREW_TF_LOCK_TIMEOUT_SEC', 120, 0, 3600),
    terraform: readTerraformSettings(env, region, cwd, secrets),
    proxmox: readProxmoxSettings(env, cwd, secrets),
    inheritedEnv: readInheritedEnv(env),
    stackLockTtlMs: readNumber(env, 'CREW_LOCK_TTL_SEC', 6 * 3600, 1, 30 * 86_400) * 1000,
    maxDeliveries: readNumber(env, 'CREW_MAX_DELIVERIES', 5, 1, 100),
    claimIdleMs: readNumber(env, 'CREW_CLAIM_IDLE_MS', 60_000, 100, 3_600_000),
    dnsZone: env.CREW_DNS_ZONE ?? 'local',
    ...(dnsTarget ? { dnsTarget } : {}),
    aws: readAwsSettings(env, region, secrets),
    digest: {
      ...(env.CREW_DIGEST_CHANNEL ? { channel: env.CREW_DIGEST_CHANNEL } : {}),
      ...(env.CREW_DIGEST_CRON ? { cron: env.CREW_DIGEST_CRON } : {}),
    },
    drift: {
      ...(env.CREW_DRIFT_CRON ? { cron: env.CREW_DRIFT_CRON } : {}),
      // The drift check's lease on a stack: how long a killed check can keep plans waiting.
      leaseMs: readNumber(env, 'CREW_DRIFT_LEASE_SEC', 60, 3, 3600) * 1000,
    },
    suggest: { ...(env.CREW_SUGGEST_CRON ? { cron: env.CREW_SUGGEST_CRON } : {}) },
    slack: readSlackSettings(env, secrets),
    stuckAfterMs: readNumber(env, 'CREW_STUCK_AFTER_MIN', 30, 1, 7 * 24 * 60) * 60_000,
    rolloutPollMs: readNumber(env, 'CREW_ROLLOUT_POLL_SEC', 30, 0.1, 3600) * 1000,
    heartbeatStaleMs: readNumber(env, 'CREW_HEARTBEAT_STALE_SEC', 120, 10, 86_400) * 1000,
    streamRetentionMs: readNumber(env, 'CREW_STREAM_RETENTION', 7, 0.001, 3650) * DAY_MS,
    planRetentionMs: readNumber(env, 'CREW_PLAN_RETENTION', 30, 0.001, 3650) * DAY_MS,
    metricsPort: env.CREW_METRICS_PORT ? readNumber(env, 'CREW_METRICS_PORT', 9464, 0, 65535) : undefined,
    metricsHost: env.CREW_METRICS_HOST ?? '127.0.0.1',
    api: readApiSettings(env, secrets),
    faultKillAt: env.CREW_FAULT_KILL_AT || undefined,
  };
  return deepFreeze(config);
}
