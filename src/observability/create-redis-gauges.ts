import { Counter, Gauge, type Registry } from 'prom-client';
import { PLAN_STATES, isOpen } from '../plan/plan-states.js';
import type { CrewSnapshot } from './read-crew-snapshot.js';

const ACTIVE_STATES = PLAN_STATES.filter((s) => isOpen(s));

/**
 * Gauges filled from Redis when scraped. Each asks `snapshot()`, which shares one read
 * between all of them. When Redis cannot be read the gauges keep their last values (the
 * error counter tells); otherwise they are reset first so a vanished group or instance
 * does not linger as a stale series.
 */
export function createRedisGauges(
  registry: Registry,
  snapshot: () => Promise<CrewSnapshot | undefined>,
): { collectErrors: Counter } {
  const registers = [registry];
  const collectErrors = new Counter({
    name: 'crew_metrics_collect_errors_total',
    help: 'Scrapes that could not read Redis; Redis-derived gauges keep their last values',
    registers,
    // Waits for the read so a failure shows in the same scrape.
    async collect() {
      await snapshot();
    },
  });
  new Gauge({
    name: 'crew_stream_length',
    help: 'Entries in each topic stream (queue depth)',
    labelNames: ['topic'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      for (const s of snap.streams) this.set({ topic: s.topic }, s.length);
    },
  });
  new Gauge({
    name: 'crew_stream_pending',
    help: 'Entries delivered to a consumer group and not acked yet',
    labelNames: ['topic', 'group'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      for (const s of snap.streams) for (const g of s.groups) this.set({ topic: s.topic, group: g.name }, g.pending);
    },
  });
  new Gauge({
    name: 'crew_stream_lag',
    help: 'Entries not yet delivered to a consumer group (absent when Redis cannot tell)',
    labelNames: ['topic', 'group'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      for (const s of snap.streams) {
        for (const g of s.groups) if (g.lag !== null) this.set({ topic: s.topic, group: g.name }, g.lag);
      }
    },
  });
  new Gauge({
    name: 'crew_dead_letters',
    help: 'Entries in the dead-letter stream',
    registers,
    async collect() {
      const snap = await snapshot();
      if (snap) this.set(snap.deadLetters);
    },
  });
  new Gauge({
    name: 'crew_agent_heartbeat_timestamp_seconds',
    help: 'Unix time an agent instance last beat',
    labelNames: ['agent', 'instance'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      for (const h of snap.heartbeats) this.set({ agent: h.agent, instance: h.instance }, h.lastSeen);
    },
  });
  new Gauge({
    name: 'crew_plans',
    help: 'Open plans (neither DONE nor ended), by state (applied: crew_plan_transitions_total{to="DONE"}; ended: crew_plans_finished_total)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      // Every live state is exported, zeros included, so panels and rates see a steady series.
      for (const state of ACTIVE_STATES) this.set({ state }, snap.activePlans.get(state) ?? 0);
    },
  });
  return { collectErrors };
}
