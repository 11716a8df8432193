import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deadLetterKey, streamKey } from '../../../src/redis/keys.js';
import { CrewMetrics } from '../../../src/observability/crew-metrics.js';
import { heartbeatKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';
import { parseExposition, valueOf } from '../../support/parse-exposition.js';

let redis: Redis;
let prefix: string;
let plans: PlanStore;

useTestRedis((_s, c) => (redis = c), { aof: false });
beforeEach(() => {
  prefix = `t${randomBytes(5).toString('hex')}`;
  plans = new PlanStore({ redis, prefix });
});

async function seedBus(): Promise<void> {
  const plan = streamKey(prefix, 'plan.pending');
  await redis.xgroup('CREATE', plan, 'forge', '$', 'MKSTREAM');
  for (let i = 0; i < 3; i++) await redis.xadd(plan, '*', 'n', String(i));
  // Forge reads two of three: two pending, one not delivered yet (lag 1).
  await redis.xreadgroup('GROUP', 'forge', 'forge-1', 'COUNT', 2, 'STREAMS', plan, '>');
  await redis.xadd(deadLetterKey(prefix), '*', 'reason', 'poison');
  await redis.set(heartbeatKey(prefix, 'forge', 'pod-a'), '1700000000.5');
  await plans.create({ id: 'p-one', goal: 'g', requestedBy: 'alice' });
  await plans.create({ id: 'p-two', goal: 'g', requestedBy: 'alice' });
  await plans.advance('p-two', 'PLAN_SPEC', 'atlas', 'spec ready');
}

describe('CrewMetrics', () => {
  it('exports queue depth, pending, lag, dead letters, heartbeats and plans by state from Redis', async () => {
    await seedBus();
    const metrics = new CrewMetrics({ redis, plans, prefix, processMetrics: false });
    const s = parseExposition(await metrics.metrics());
    expect(valueOf(s, 'crew_stream_length', { topic: 'plan.pending' })).toBe(3);
    expect(valueOf(s, 'crew_stream_length', { topic: 'notify' })).toBe(0);
    expect(valueOf(s, 'crew_stream_pending', { topic: 'plan.pending', group: 'forge' })).toBe(2);
    expect(valueOf(s, 'crew_stream_lag', { topic: 'plan.pending', group: 'forge' })).toBe(1);
    expect(valueOf(s, 'crew_dead_letters')).toBe(1);
    expect(valueOf(s, 'crew_agent_heartbeat_timestamp_seconds', { agent: 'forge', instance: 'pod-a' })).toBe(
      1700000000.5,
    );
    expect(valueOf(s, 'crew_plans', { state: 'DRAFTING' })).toBe(1);
    expect(valueOf(s, 'crew_plans', { state: 'PENDING' })).toBe(1);
    expect(valueOf(s, 'crew_plans', { state: 'APPLYING' })).toBe(0);
    expect(valueOf(s, 'crew_plans', { state: 'FAILED' })).toBeUndefined();
    expect(valueOf(s, 'crew_plans', { state: 'DONE' })).toBeUndefined();
  });

  it('reads Redis once per scrape, and again only after cacheMs', async () => {
    const metrics = new CrewMetrics({ redis, plans, prefix, processMetrics: false, cacheMs: 0 });
    const active = vi.spyOn(plans, 'active');
    await metrics.metrics();
    expect(active).toHaveBeenCalledTimes(1);
    await metrics.metrics();
    expect(active).toHaveBeenCalledTimes(2);
    const cached = new CrewMetrics({ redis, plans, prefix, processMetrics: false, cacheMs: 60_000 });
    await cached.metrics();
    await cached.metrics();
    expect(active).toHaveBeenCalledTimes(3);
  });

  it('drops series that vanished from Redis between scrapes', async () => {
    await redis.set(heartbeatKey(prefix, 'atlas', 'old'), '1');
    const metrics = new CrewMetrics({ redis, plans, prefix, processMetrics: false, cacheMs: 0 });
    expect(
      valueOf(parseExposition(await metrics.metrics()), 'crew_agent_heartbeat_timestamp_seconds', { instance: 'old' }),
    ).toBe(1);
    await redis.del(heartbeatKey(prefix, 'atlas', 'old'));
    expect(
      valueOf(parseExposition(await metrics.metrics()), 'crew_agent_heartbeat_timestamp_seconds', { instance: 'old' }),
    ).toBeUndefined();
  });

  it('counts a failed Redis read and keeps serving the event metrics', async () => {
    const errors: unknown[] = [];
    const broken = { active: () => Promise.reject(new Error('redis gone')) };
    const metrics = new CrewMetrics({
      redis,
      plans: broken,
      prefix,
      processMetrics: false,
      onCollectError: (e) => errors.push(e),
    });
    metrics.recordTokens(10, 5);
    const s = parseExposition(await metrics.metrics());
    expect(valueOf(s, 'crew_metrics_collect_errors_total')).toBe(1);
    expect(valueOf(s, 'crew_llm_tokens_total', { kind: 'prompt' })).toBe(10);
    expect(errors).toHaveLength(1);
  });

  it('records transitions, finished plans, tokens, terraform, Slack acks, rollbacks and budget', async () => {
    const metrics = new CrewMetrics({ redis, plans, prefix, processMetrics: false });
    metrics.recordTransition('DRAFTING', 'PENDING');
    metrics.recordTransition('DRAFTING', 'PENDING');
    metrics.recordTransition('WAIT_FOR_APPROVE', 'REJECTED');
    metrics.recordTokens(100, 40);
    metrics.recordTokens(Number.NaN, 2);
    metrics.observeTerraform('plan', 12);
    metrics.observeTerraform('rm -rf', 1);
    metrics.observeSlackAck(0.2);
    metrics.observeRollback(120, 1000);
    metrics.setBudgetRatio(0.85, 'ollama-dev');
    metrics.setBudgetRatio(-1);
    const s = parseExposition(await metrics.metrics());
    expect(valueOf(s, 'crew_plan_transitions_total', { from: 'DRAFTING', to: 'PENDING' })).toBe(2);
    expect(valueOf(s, 'crew_plans_finished_total', { state: 'REJECTED' })).toBe(1);
    expect(valueOf(s, 'crew_llm_tokens_total', { kind: 'prompt' })).toBe(100);
    expect(valueOf(s, 'crew_llm_tokens_total', { kind: 'completion' })).toBe(42);
    expect(valueOf(s, 'crew_terraform_duration_seconds_count', { command: 'plan' })).toBe(1);
    expect(valueOf(s, 'crew_terraform_duration_seconds_count', { command: 'other' })).toBe(1);
    expect(valueOf(s, 'crew_slack_ack_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(valueOf(s, 'crew_rollback_begin_seconds_bucket', { le: '300' })).toBe(1);
    expect(valueOf(s, 'crew_rollback_finish_seconds_bucket', { le: '900' })).toBe(0);
    expect(valueOf(s, 'crew_rollback_sla_breaches_total', { phase: 'finish' })).toBe(1);
    expect(valueOf(s, 'crew_rollback_sla_breaches_total', { phase: 'begin' })).toBeUndefined();
    expect(valueOf(s, 'crew_budget_ratio', { stack: 'ollama-dev' })).toBe(0.85);
    expect(valueOf(s, 'crew_budget_ratio', { stack: 'all' })).toBeUndefined();
  });

  it('keeps its own registry: two instances do not collide and the global registry stays empty', async () => {
    const { register } = await import('prom-client');
    const a = new CrewMetrics({ redis, plans, prefix });
    const b = new CrewMetrics({ redis, plans, prefix });
    a.recordTokens(1, 0);
    expect(valueOf(parseExposition(await b.metrics()), 'crew_llm_tokens_total', { kind: 'prompt' })).toBeUndefined();
    expect(register.getMetricsAsArray().filter((m) => String(m.name).startsWith('crew_'))).toHaveLength(0);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
