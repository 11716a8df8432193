import type { Redis } from 'ioredis';
import { waitForPlan } from '../../src/conductor/wait-for-plan.js';
import { readConfig, type CrewConfig } from '../../src/config/read-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { PlanRecord } from '../../src/plan/plan-record.js';
import { startCrew, type CrewRuntime } from '../../src/runtime/start-crew.js';
import { startAwsEndpoint, type AwsEndpoint } from './aws-endpoint/start-aws-endpoint.js';
import { createDataDir, requireAwsMirror, type TempDataDir } from './aws-target.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { requireTerraform } from './terraform-harness.js';

// An in-process crew on the aws target: the real hashicorp/aws provider (from the mirror) against
// the local AWS endpoint, a private redis-server and data dir, all on one clock.

export interface AwsCrew {
  aws: AwsEndpoint;
  server: TestRedis;
  redis: Redis;
  crew: CrewRuntime;
  config: Readonly<CrewConfig>;
  /** The crew's environment: what a `crew` CLI process needs to join it. */
  env: Record<string, string>;
  data: TempDataDir;
  close(): Promise<void>;
}

export async function startAwsCrew(o: { now: () => Date; dataPrefix: string; prefix?: string }): Promise<AwsCrew> {
  requireTerraform();
  const mirror = requireAwsMirror();
  const aws = await startAwsEndpoint({ region: 'us-east-1', now: o.now });
  const server = await startRedis({ aof: false });
  const redis = server.client();
  const data = createDataDir(o.dataPrefix);
  const env = {
    CREW_DATA_DIR: data.dir,
    CREW_TZ: 'UTC',
    PATH: process.env.PATH ?? '',
    // A private HOME: no ~/.aws of this machine joins the provider's credential chain.
    HOME: data.dir,
    CREW_APPROVERS: 'bob',
    CREW_TF_PLUGIN_MIRROR: mirror,
    REDIS_URL: server.url,
    ...aws.env(),
  };
  const config = readConfig(env);
  const crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    now: o.now,
    ...(o.prefix ? { prefix: o.prefix } : {}),
  });
  return {
    aws,
    server,
    redis,
    crew,
    config,
    env,
    data,
    close: async () => {
      await crew.close();
      await server.stop();
      await aws.stop();
      data.cleanup();
    },
  };
}

/** Waits for one of `states`; a plan that ends BLOCKED or FAILED instead throws with why. */
export async function untilPlan(crew: CrewRuntime, id: string, states: PlanRecord['state'][]): Promise<PlanRecord> {
  const p = await waitForPlan(crew.plans, id, [...states, 'BLOCKED', 'FAILED'], { timeoutMs: 240_000 });
  if (!states.includes(p.state)) throw new Error(`plan ${id} is ${p.state}: ${p.failure ?? p.blocked?.reason ?? ''}`);
  return p;
}

/** A goal on the aws target asked by alice, approved by bob, applied. */
export async function appliedOnAws(crew: CrewRuntime, text: string): Promise<PlanRecord> {
  const r = await crew.ops.submitGoal({ text, requestedBy: 'alice', target: 'aws' }, 'test');
  if (!r.ok) throw new Error(r.refusal);
  await untilPlan(crew, r.value.id, ['WAIT_FOR_APPROVE']);
  const approved = await crew.ops.decide(r.value.id, 'approve', 'bob', 'test');
  if (!approved.ok) throw new Error(approved.refusal);
  return untilPlan(crew, r.value.id, ['DONE']);
}
