import type { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics, type Counter } from 'prom-client';
import { isTerminal, type PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';
import {
  ROLLBACK_BEGIN_SLA_SECONDS,
  ROLLBACK_FINISH_SLA_SECONDS,
  createEventMetrics,
  type EventMetrics,
} from './create-event-metrics.js';
import { registerDriftMetrics } from './drift-metrics.js';
import { createRedisGauges } from './create-redis-gauges.js';
import { observePlanTransition } from './observe-plan-transition.js';
import { readCrewSnapshot, type ActivePlanSource, type CrewSnapshot } from './read-crew-snapshot.js';

export interface CrewMetricsOptions {
  redis: Redis;
  /** Active plans by state; a PlanStore fits. */
  plans: ActivePlanSource;
  prefix?: string;
  /** A scrape within this window reuses the last Redis read (default 1000 ms). */
  cacheMs?: number;
  /** Node process metrics (CPU, memory, event loop) in the same registry; default true. */
  processMetrics?: boolean;
  /** Told when a scrape cannot read Redis; never gets secret material. */
  onCollectError?: (err: unknown) => void;
}

const TERRAFORM_COMMANDS = new Set(['init', 'plan', 'apply', 'show', 'destroy', 'output', 'validate']);

function seconds(value: number): number | undefined {
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Every infracrew metric, in a registry of its own so tests and libraries do not collide. */
export class CrewMetrics {
  readonly registry = new Registry();
  private readonly events: EventMetrics;
  private readonly collectErrors: Counter;
  private readonly options: CrewMetricsOptions;
  private cached: { at: number; pending: boolean; value: Promise<CrewSnapshot | undefined> } | undefined;

  constructor(options: CrewMetricsOptions) {
    this.options = options;
    this.events = createEventMetrics(this.registry);
    this.collectErrors = createRedisGauges(this.registry, () => this.snapshot()).collectErrors;
    registerDriftMetrics(this.registry, {
      redis: options.redis,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition text of every metric (reads Redis at most once). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The whole onTransition hook: the transition, plus the LLM tokens, budget ratio and
   * rollback timings the plan record carries at that step.
   */
  observePlanTransition(plan: PlanRecord, from: PlanState, to: PlanState): void {
    observePlanTransition(this, plan, from, to);
  }

  recordTransition(from: PlanState, to: PlanState): void {
    this.events.transitions.inc({ from, to });
    if (isTerminal(to)) this.events.finished.inc({ state: to });
  }

  recordTokens(prompt: number, completion: number): void {
    // Ollama leaves prompt_eval_count out on cache hits; a missing count is zero.
    if (Number.isFinite(prompt) && prompt > 0) this.events.tokens.inc({ kind: 'prompt' }, prompt);
    if (Number.isFinite(completion) && completion > 0) this.events.tokens.inc({ kind: 'completion' }, completion);
  }

  observeTerraform(command: string, durationSeconds: number): void {
    const s = seconds(durationSeconds);
    // Unknown commands share one label value so a typo cannot grow the series count.
    if (s !== undefined)
      this.events.terraform.observe({ command: TERRAFORM_COMMANDS.has(command) ? command : 'other' }, s);
  }

  observeSlackAck(durationSeconds: number): void {
    const s = seconds(durationSeconds);
    if (s !== undefined) this.events.slackAck.observe(s);
  }

  /** Seconds from the rollback request to its start and to its end. */
  observeRollback(beginSeconds: number, finishSeconds: number): void {
    const begin = seconds(beginSeconds);
    const finish = seconds(finishSeconds);
    if (begin !== undefined) {
      this.events.rollbackBegin.observe(begin);
      if (begin > ROLLBACK_BEGIN_SLA_SECONDS) this.events.slaBreaches.inc({ phase: 'begin' });
    }
    if (finish !== undefined) {
      this.events.rollbackFinish.observe(finish);
      if (finish > ROLLBACK_FINISH_SLA_SECONDS) this.events.slaBreaches.inc({ phase: 'finish' });
    }
  }

  setBudgetRatio(ratio: number, stack = 'all'): void {
    if (Number.isFinite(ratio) && ratio >= 0) this.events.budgetRatio.set({ stack }, ratio);
  }

  /** One Redis read shared by every gauge of a scrape (and by scrapes within cacheMs). */
  private snapshot(): Promise<CrewSnapshot | undefined> {
    const now = Date.now();
    const c = this.cached;
    if (c && (c.pending || now - c.at < (this.options.cacheMs ?? 1000))) return c.value;
    const entry = { at: now, pending: true, value: Promise.resolve<CrewSnapshot | undefined>(undefined) };
    entry.value = readCrewSnapshot(this.options.redis, this.options.prefix ?? 'crew', this.options.plans)
      .catch((err: unknown) => {
        this.collectErrors.inc();
        this.options.onCollectError?.(err);
        return undefined;
      })
      .finally(() => {
        entry.pending = false;
        entry.at = Date.now();
      });
    this.cached = entry;
    return entry.value;
  }
}
