import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CrewMetrics } from '../../../src/observability/crew-metrics.js';
import { REPO } from '../../support/load-manifests.js';

// The registry's names; building the class touches no Redis until a scrape.
const metrics = new CrewMetrics({ redis: {} as Redis, plans: { active: async () => [] } });
const known = new Set(metrics.registry.getMetricsAsArray().map((m) => String(m.name)));

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings (label values, regexes)
    .replace(/\$\{[^}]*\}|\$\w+/g, '1') // Grafana variables such as $__rate_interval
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges and subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]!.toLowerCase())) continue;
    names.push(m[1]!);
  }
  return names;
}

function isKnown(name: string): boolean {
  if (known.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && known.has(base);
}

describe('metricNames', () => {
  it('finds metrics and skips functions, labels, keywords and durations', () => {
    expect(metricNames('time() - max by (agent) (crew_a{le="900"}[5m] offset 1h) > 1e3 and on(x) b_total')).toEqual(['crew_a', 'b_total']);
    expect(metricNames('sum(rate(crew_x_bucket[$__rate_interval])) * 60')).toEqual(['crew_x_bucket']);
  });
});

describe('Grafana dashboard', () => {
  const dash = JSON.parse(readFileSync(join(REPO, 'manifests/grafana/infracrew-dashboard.json'), 'utf8')) as {
    __inputs: Array<{ name: string; type: string; pluginId: string }>;
    panels: Array<{ id: number; title: string; datasource: { uid: string }; targets: Array<{ expr: string; datasource?: { uid: string } }> }>;
  };

  it('takes its datasource from the DS_PROMETHEUS input on every panel and target', () => {
    expect(dash.__inputs).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }));
    for (const p of dash.panels) {
      expect(p.datasource.uid, p.title).toBe('${DS_PROMETHEUS}');
      for (const t of p.targets) expect(t.datasource?.uid ?? p.datasource.uid).toBe('${DS_PROMETHEUS}');
    }
  });

  it('has unique panel ids and the panels operators asked for', () => {
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const titles = dash.panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const word of ['queue depth', 'pending', 'heartbeat age', 'token burn', 'rollback sla', 'budget ratio', 'plans by state', 'dead letters']) {
      expect(titles).toContain(word);
    }
  });

  it('queries only metrics the registry exports', () => {
    for (const p of dash.panels) {
      for (const t of p.targets) {
        const names = metricNames(t.expr);
        expect(names.length, t.expr).toBeGreaterThan(0);
        for (const n of names) expect(isKnown(n), `${p.title}: ${n}`).toBe(true);
      }
    }
  });
});

describe('Prometheus alerts', () => {
  const rule = parse(readFileSync(join(REPO, 'manifests/prometheus/alerts.yaml'), 'utf8')) as {
    kind: string;
    spec: { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }> };
  };
  const rules = rule.spec.groups.flatMap((g) => g.rules);

  it('is a PrometheusRule with the alerts operators asked for', () => {
    expect(rule.kind).toBe('PrometheusRule');
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    expect(byName.get('InfracrewAgentHeartbeatStale')).toMatch(/crew_agent_heartbeat_timestamp_seconds.*> 120/);
    expect(byName.get('InfracrewDeadLettersIncreasing')).toMatch(/crew_dead_letters/);
    expect(byName.get('InfracrewBudgetRatioHigh')).toMatch(/crew_budget_ratio.*> 0\.8/);
    expect(byName.get('InfracrewRollbackFinishSlaBreached')).toMatch(/le="900"/);
    expect(byName.get('InfracrewQueuePendingGrowing')).toMatch(/crew_stream_pending/);
    for (const r of rules) expect(['critical', 'warning']).toContain(r.labels.severity);
  });

  it('uses only metrics the registry exports', () => {
    for (const r of rules) {
      const names = metricNames(r.expr);
      expect(names.length, r.alert).toBeGreaterThan(0);
      for (const n of names) expect(isKnown(n), `${r.alert}: ${n}`).toBe(true);
    }
  });
});
