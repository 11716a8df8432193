import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/create-logger.js';
import { CrewMetrics } from '../observability/crew-metrics.js';
import { startHeartbeat, type HeartbeatHandle } from '../observability/heartbeat.js';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server.js';
import type { PlanStore } from '../store/plan-store.js';

export interface Operations {
  metrics: CrewMetrics;
  /** Where /metrics listens, when a port was given. */
  port?: number;
  close(): Promise<void>;
}

export interface StartOperationsOptions {
  redis: Redis;
  plans: PlanStore;
  logger: Logger;
  prefix?: string;
  /** Heartbeats are written for each of these agents and surfaces. */
  agents: readonly string[];
  metricsPort?: number;
  metricsHost?: string;
  /** Names this process in heartbeats (CREW_INSTANCE); default host:pid. */
  instance?: string;
}

/** Metrics registry, the /metrics server and agent heartbeats for a long-running process. */
export async function startOperations(o: StartOperationsOptions): Promise<Operations> {
  const prefix = o.prefix ?? 'crew';
  const metrics = new CrewMetrics({
    redis: o.redis,
    plans: o.plans,
    prefix,
    onCollectError: (err) => o.logger.warn({ err }, 'metrics: redis read failed'),
  });
  let server: MetricsServer | undefined;
  if (o.metricsPort !== undefined) {
    try {
      server = await startMetricsServer({
        port: o.metricsPort,
        ...(o.metricsHost ? { host: o.metricsHost } : {}),
        metrics,
      });
      o.logger.info({ port: server.port }, 'metrics at /metrics');
    } catch (err) {
      // A busy port must not stop the bot; the operator sees why metrics are missing.
      o.logger.warn({ err, port: o.metricsPort }, 'metrics server not started (set CREW_METRICS_PORT)');
    }
  }
  const instance = o.instance ?? `${hostname()}:${process.pid}`;
  const beats: HeartbeatHandle[] = o.agents.map((agent) =>
    startHeartbeat(o.redis, { agent, prefix, instance, intervalMs: 10_000 }),
  );
  let closing: Promise<void> | undefined;
  return {
    metrics,
    ...(server ? { port: server.port } : {}),
    close: () => {
      closing ??= (async () => {
        await Promise.all(beats.map((b) => b.stop()));
        await server?.close();
      })();
      return closing;
    },
  };
}
