import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CrewMetrics } from '../../../src/observability/crew-metrics.js';
import { startMetricsServer } from '../../../src/observability/metrics-server.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;

useTestRedis((_s, c) => (redis = c), { aof: false });

describe('startMetricsServer', () => {
  it('serves /metrics with the registry content type, /healthz, 404 and 405; close is idempotent', async () => {
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const metrics = new CrewMetrics({ redis, plans: new PlanStore({ redis, prefix }), prefix });
    metrics.recordTransition('DRAFTING', 'PENDING');
    const srv = await startMetricsServer({ port: 0, metrics });
    const base = `http://127.0.0.1:${srv.port}`;
    try {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(metrics.contentType);
      const body = await res.text();
      expect(body).toContain('crew_plan_transitions_total{from="DRAFTING",to="PENDING"} 1');
      expect(body).toContain('crew_stream_length{topic="goal.submitted"} 0');
      expect(body).toContain('process_cpu_user_seconds_total');
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await Promise.all([srv.close(), srv.close()]);
    }
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('answers 500 without details when the registry fails', async () => {
    const srv = await startMetricsServer({
      port: 0,
      metrics: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('secret hvs.abc')) },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${srv.port}/metrics`);
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain('hvs');
    } finally {
      await srv.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await startMetricsServer({
      port: 0,
      metrics: { contentType: 'text/plain', metrics: async () => '' },
    });
    try {
      await expect(
        startMetricsServer({ port: first.port, metrics: { contentType: 'text/plain', metrics: async () => '' } }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
