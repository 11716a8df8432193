import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

// Rollback SLA from the design: begin within 5 minutes, finish within 15.
export const ROLLBACK_BEGIN_SLA_SECONDS = 300;
export const ROLLBACK_FINISH_SLA_SECONDS = 900;

/** Metrics fed by events in this process (as opposed to those read from Redis on scrape). */
export function createEventMetrics(registry: Registry) {
  const registers = [registry];
  return {
    transitions: new Counter({
      name: 'crew_plan_transitions_total',
      help: 'Plan state transitions seen by this process',
      labelNames: ['from', 'to'] as const,
      registers,
    }),
    finished: new Counter({
      name: 'crew_plans_finished_total',
      help: 'Plans that reached a terminal state, by that state',
      labelNames: ['state'] as const,
      registers,
    }),
    tokens: new Counter({
      name: 'crew_llm_tokens_total',
      help: 'LLM tokens used, by kind (prompt or completion)',
      labelNames: ['kind'] as const,
      registers,
    }),
    terraform: new Histogram({
      name: 'crew_terraform_duration_seconds',
      help: 'Duration of terraform commands',
      labelNames: ['command'] as const,
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800],
      registers,
    }),
    slackAck: new Histogram({
      name: 'crew_slack_ack_seconds',
      help: 'Time from receiving a Slack request to acking it (Slack gives up at 3 s)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
    rollbackBegin: new Histogram({
      name: 'crew_rollback_begin_seconds',
      help: 'Time from a rollback request to the rollback starting (SLA 300 s)',
      buckets: [15, 30, 60, 120, 180, 240, ROLLBACK_BEGIN_SLA_SECONDS, 600, 900],
      registers,
    }),
    rollbackFinish: new Histogram({
      name: 'crew_rollback_finish_seconds',
      help: 'Time from a rollback request to the rollback finishing (SLA 900 s)',
      buckets: [60, 120, 300, 600, ROLLBACK_FINISH_SLA_SECONDS, 1200, 1800, 3600],
      registers,
    }),
    slaBreaches: new Counter({
      name: 'crew_rollback_sla_breaches_total',
      help: 'Rollbacks that missed their SLA, by phase (begin or finish)',
      labelNames: ['phase'] as const,
      registers,
    }),
    budgetRatio: new Gauge({
      name: 'crew_budget_ratio',
      help: 'Forecast spend divided by budget, by stack (the brake engages at 0.8 by default)',
      labelNames: ['stack'] as const,
      registers,
    }),
  };
}

export type EventMetrics = ReturnType<typeof createEventMetrics>;
