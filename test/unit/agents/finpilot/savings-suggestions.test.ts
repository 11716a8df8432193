import { describe, expect, it } from 'vitest';
import type { AwsSpotOllamaSpec, PlanSpec } from '../../../../contracts/index.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../../src/agents/atlas/default-atlas-defaults.js';
import { parseGoal } from '../../../../src/agents/atlas/parse-goal.js';
import { listSavingsSuggestions } from '../../../../src/agents/finpilot/list-savings-suggestions.js';
import { priceSpecChange } from '../../../../src/agents/finpilot/price-spec-change.js';
import { DEFAULT_SUGGEST_CRON, scheduleSuggestions } from '../../../../src/agents/finpilot/suggest-savings.js';
import type { StackVersion } from '../../../../src/store/stack-store.js';

const NOW = new Date('2026-12-02T10:00:00Z');
const atlas = { defaults: { ...DEFAULT_ATLAS_DEFAULTS, timezone: 'UTC', target: 'sandbox' as const } };

/** An always-on stack as Atlas drafts it from words (no schedule, one g4dn.xlarge). */
function draftStack(goal: string): AwsSpotOllamaSpec {
  const out = parseGoal(goal, atlas);
  if (out.kind !== 'spec' || out.spec.blueprint !== 'aws-spot-ollama') throw new Error(JSON.stringify(out));
  return out.spec;
}

const applied = (spec: PlanSpec, appliedAt = '2026-11-20T00:00:00Z'): StackVersion & { stack: string } => ({
  stack: spec.stack,
  version: 1,
  planId: `plan-${spec.stack}`,
  spec,
  monthlyUsd: 0,
  appliedAt,
});

const options = { atlas, now: NOW, defaultRegion: 'us-east-1' };

describe('savings suggestions', () => {
  it('an always-on g4dn.xlarge stack: weekend schedule saves what Sentinel prices the change at', () => {
    const spec = draftStack(
      'private Ollama on g4dn.xlarge in us-east-1, keep it running through the weekend, stack gpu-one',
    );
    expect(spec.params.schedule).toBeUndefined();
    const { suggestions } = listSavingsSuggestions([applied(spec)], options);
    const weekend = suggestions.find((s) => s.kind === 'weekend-schedule');
    if (!weekend?.goal) throw new Error(JSON.stringify(suggestions));
    // Sentinel's own difference for the same change: the spec Atlas makes of the goal, priced.
    const proposed = parseGoal(weekend.goal, { ...atlas, currentSpec: () => structuredClone(spec) });
    if (proposed.kind !== 'spec') throw new Error(JSON.stringify(proposed));
    expect(proposed.spec.params).toMatchObject({ schedule: { stop: { day: 'FRI', time: '22:00' } } });
    const cost = priceSpecChange(spec, proposed.spec, options);
    expect(cost.diffMonthlyUsd).toBeLessThan(0);
    expect(weekend.monthlyUsd).toBe(-cost.diffMonthlyUsd);
    expect(weekend.title).toBe(`weekend schedule: saves $${(-cost.diffMonthlyUsd).toFixed(2)}/month`);
    expect(weekend.yearlyUsd).toBeCloseTo(weekend.monthlyUsd * 12, 2);
    // 57 of 168 hours off: the instance-hours and the volume share of one g4dn.xlarge on Spot.
    const spot = 0.526 * (1 - 0.65);
    const volume = spec.params.volumeGb * 0.08; // gp3 in us-east-1
    expect(weekend.monthlyUsd).toBeCloseTo(((spot * 730 + volume) * 57) / 168, 1);
    expect(cost.previousMonthlyUsd).toBe(weekend.currentMonthlyUsd);
    // The README's worked example: $142.39 → $94.08 a month.
    expect([weekend.currentMonthlyUsd, weekend.proposedMonthlyUsd, weekend.monthlyUsd, weekend.yearlyUsd]).toEqual([
      142.39, 94.08, 48.31, 579.72,
    ]);
  });

  it('moves an on-demand base above what the spec needs to Spot, priced by Sentinel', () => {
    const base = draftStack('private Ollama on g4dn.xlarge in us-east-1, stack od-heavy, 3 instances, 3 on-demand');
    const spec = { ...base, params: { ...base.params, minSize: 1, schedule: base.params.schedule } };
    expect(spec.params.onDemandBase).toBe(3);
    const { suggestions } = listSavingsSuggestions([applied(spec)], options);
    const spot = suggestions.find((s) => s.kind === 'spot');
    expect(spot?.goal).toBe('set od-heavy on-demand base to 1');
    // Two instances move from on-demand to Spot for the hours the group runs.
    const hours = spec.params.schedule ? (730 * (168 - 57)) / 168 : 730;
    expect(spot?.monthlyUsd).toBeCloseTo(2 * 0.526 * 0.65 * hours, 1);
  });

  it('suggests the cheaper type of the same family and GPU memory, and none across GPU memory', () => {
    const spec = draftStack(
      'private Ollama on g4dn.2xlarge in us-east-1, stack big-box, keep it running through the weekend',
    );
    const { suggestions } = listSavingsSuggestions([applied(spec)], options);
    const type = suggestions.find((s) => s.kind === 'instance-type');
    expect(type?.goal).toBe('switch big-box to g4dn.xlarge');
    expect(type?.monthlyUsd).toBeCloseTo((0.752 - 0.526) * 0.35 * 730, 1);
    const g5 = draftStack('private Ollama on g5.xlarge, stack gfive-box');
    expect(listSavingsSuggestions([applied(g5)], options).suggestions.some((s) => s.kind === 'instance-type')).toBe(
      false,
    );
    // g6: one L4 (24 GiB) up to 16xlarge; a multi-GPU size is not the same fit and gets no suggestion.
    const g6 = draftStack(
      'private Ollama on g6.4xlarge in us-east-1, stack gsix-box, keep it running through the weekend',
    );
    const g6type = listSavingsSuggestions([applied(g6)], options).suggestions.find((s) => s.kind === 'instance-type');
    expect(g6type?.goal).toBe('switch gsix-box to g6.xlarge');
    expect(g6type?.monthlyUsd).toBeCloseTo((1.3232 - 0.8048) * 0.35 * 730, 1);
    const g6multi = draftStack('private Ollama on g6.12xlarge in us-east-1, stack gsix-multi');
    expect(
      listSavingsSuggestions([applied(g6multi)], options).suggestions.some((s) => s.kind === 'instance-type'),
    ).toBe(false);
  });

  it('a stack at zero desired capacity for 14 days is suggested for removal; 13 days is not', () => {
    const base = draftStack('private Ollama on g4dn.xlarge, stack idle-one');
    const spec = { ...base, params: { ...base.params, desiredCapacity: 0, minSize: 0, onDemandBase: 0 } };
    const old = listSavingsSuggestions([applied(spec, '2026-11-18T09:00:00Z')], options).suggestions;
    expect(old.map((s) => s.kind)).toEqual(['destroy']);
    expect(old[0]?.goal).toBeUndefined();
    expect(old[0]?.howTo).toMatch(/rollback/);
    const fresh = listSavingsSuggestions([applied(spec, '2026-11-19T11:00:00Z')], options).suggestions;
    expect(fresh).toEqual([]);
  });

  it('numbers the list by saving, largest first', () => {
    const a = draftStack('private Ollama on g4dn.2xlarge, stack aa-one');
    const b = draftStack('private Ollama on g4dn.xlarge, stack bb-one');
    const { suggestions } = listSavingsSuggestions([applied(a), applied(b)], options);
    expect(suggestions.map((s) => s.n)).toEqual(suggestions.map((_, i) => i + 1));
    const amounts = suggestions.map((s) => s.monthlyUsd);
    expect([...amounts].sort((x, y) => y - x)).toEqual(amounts);
  });
});

describe('the weekly schedule', () => {
  it('runs Monday 08:00 in CREW_TZ by default, and on CREW_SUGGEST_CRON when set', () => {
    const from = new Date('2026-12-02T10:00:00Z');
    // One named job at a time, as in a crew process.
    const nextOf = (o: { cron?: string; timezone: string }) => {
      const job = scheduleSuggestions({ ...o, run: async () => undefined });
      try {
        return job.nextRun(from)?.toISOString();
      } finally {
        job.stop();
      }
    };
    expect(DEFAULT_SUGGEST_CRON).toBe('0 8 * * 1');
    // Monday 2026-12-07 08:00 in Berlin (UTC+1) is 07:00 UTC.
    expect(nextOf({ timezone: 'Europe/Berlin' })).toBe('2026-12-07T07:00:00.000Z');
    expect(nextOf({ cron: '30 6 * * 5', timezone: 'UTC' })).toBe('2026-12-04T06:30:00.000Z');
  });
});
