import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../src/agents/atlas/default-atlas-defaults.js';
import { warmAtlas } from '../../../src/agents/atlas-agent.js';
import type { AtlasDefaults } from '../../../src/agents/atlas/atlas-types.js';
import { warmForge } from '../../../src/agents/forge/warm-forge.js';
import { warmSentinelRules } from '../../../src/agents/sentinel-agent.js';
import { evaluatePlan } from '../../../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../../../src/agents/sentinel/plan/read-plan.js';
import { WARM_SAMPLE_PLAN } from '../../../src/agents/sentinel/warm-sample-plan.js';

describe('warming Forge and Sentinel (what crew worker and crew serve run at start)', () => {
  it("renders Atlas's sample goal's spec for each target, in memory", async () => {
    const sample = async (target: AtlasDefaults['target']) => {
      const [read] = await warmAtlas({ ...DEFAULT_ATLAS_DEFAULTS, target });
      if (read?.kind !== 'spec') throw new Error(`the sample goal did not read to a spec on ${target}`);
      return read.spec;
    };
    const sandbox = await sample('sandbox');
    expect(sandbox).toMatchObject({ blueprint: 'aws-spot-ollama', target: 'sandbox' });
    expect(warmForge(sandbox)).toEqual(['main.tf.json']);
    const aws = await sample('aws');
    expect(aws).toMatchObject({ blueprint: 'aws-spot-ollama', target: 'aws' });
    expect(warmForge(aws)).toContain('main.tf.json');
    const proxmox = await sample('proxmox');
    expect(proxmox).toMatchObject({ blueprint: 'proxmox-k3s', target: 'proxmox' });
    expect(warmForge(proxmox)).toContain('main.tf.json');
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

  it('judges it once per process when asked by every Terraform start (warmSentinelOnce)', async () => {
    // A fresh copy of the module: nothing in this file has warmed it yet.
    vi.resetModules();
    const fresh = await import('../../../src/agents/sentinel-agent.js');
    const first = fresh.warmSentinelOnce();
    expect(fresh.warmSentinelOnce()).toBe(first);
    expect(await first).toEqual(['PASS', 'PASS']);
    expect(await fresh.warmSentinelOnce()).toEqual(['PASS', 'PASS']);
  });
});
