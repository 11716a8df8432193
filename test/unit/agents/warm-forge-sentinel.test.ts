import { describe, expect, it } from 'vitest';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../src/agents/atlas/default-atlas-defaults.js';
import { warmForge } from '../../../src/agents/forge/warm-forge.js';
import { warmSentinelRules } from '../../../src/agents/sentinel-agent.js';
import { evaluatePlan } from '../../../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../../../src/agents/sentinel/plan/read-plan.js';
import { WARM_SAMPLE_PLAN } from '../../../src/agents/sentinel/warm-sample-plan.js';

describe('warming Forge and Sentinel (what crew worker and crew serve run at start)', () => {
  it("renders the sample goal's spec for the crew's target, in memory", async () => {
    expect(await warmForge(DEFAULT_ATLAS_DEFAULTS)).toEqual(['main.tf.json']);
    expect(await warmForge({ ...DEFAULT_ATLAS_DEFAULTS, target: 'aws' })).toContain('main.tf.json');
  });

  it('judges its sample plan twice with the rules and the cost model, to a verdict each time', async () => {
    const parsed = parsePlanObject(WARM_SAMPLE_PLAN);
    expect(parsed.ok && parsed.plan.changes.map((c) => c.type)).toEqual([
      'aws_security_group',
      'aws_launch_template',
      'aws_autoscaling_group',
    ]);
    // It prices a Spot GPU group: the cost model's path is readied, not only the rules'.
    if (!parsed.ok) throw new Error(parsed.reason);
    const judged = evaluatePlan(parsed.plan, {
      budgetUsd: 300,
      brakeRatio: 0.8,
      spentUsd: 0,
      defaultRegion: 'us-east-1',
    });
    expect(judged.cost.monthlyUsd).toBeGreaterThan(50);
    expect(await warmSentinelRules()).toEqual(['PASS', 'PASS']);
  });
});
