import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsSpotOllamaSpec, ValidationResult } from '../../../../contracts/index.js';
import { mapSandboxPlan } from '../../../../src/agents/forge/map-sandbox-plan.js';
import { requireProviderMirror } from '../../../../src/agents/forge/check-provider-mirror.js';
import { renderSandbox } from '../../../../src/agents/forge/render-sandbox.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { awsSpotOllamaVariants } from '../../../support/aws-spot-ollama-variants.js';
import { planAwsOffline, type OfflinePlanResult } from '../../../support/plan-aws-offline.js';
import { createTempStack, requireTerraform } from '../../../support/terraform-harness.js';

// The sandbox target must not drift from terraform/modules/aws-spot-ollama: for every
// aws-spot-ollama PlanSpec the Atlas corpus produces, Sentinel must find the same problems
// and the same monthly cost in the sandbox plan (mapped to aws_* resources) as in a plan of
// the real module made by the real hashicorp/aws provider (offline, from a filesystem mirror).

const MIRROR = process.env.CREW_TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
/**
 * Real roots the variants are spread over: each pays the provider's start-up (about 11 s of
 * CPU for init, plan and show) once; the rest is about 0.75 s of CPU per variant, so one root.
 */
const REAL_ROOTS = 1;
// A fixed Wednesday noon: schedule rules read the clock.
const NOW = new Date('2026-03-04T12:00:00Z');

const variants = awsSpotOllamaVariants();

interface Outcome {
  sandbox: ValidationResult;
  /** Sentinel on the real plan, or the error of a plan the module itself refused. */
  real: ValidationResult | { refused: string };
}
const outcomes = new Map<string, Outcome>();
let work = '';

/** Sentinel over one plan JSON and its spec, as the Sentinel agent calls it (no live Spot prices). */
function validate(planJson: unknown, spec: AwsSpotOllamaSpec): ValidationResult {
  const parsed = parsePlanObject(planJson);
  if (!parsed.ok) throw new Error(parsed.reason);
  return evaluatePlan(parsed.plan, {
    budgetUsd: spec.budget?.monthlyUsd ?? null,
    brakeRatio: spec.budget?.brakeRatio ?? 0.8,
    spentUsd: 0,
    defaultRegion: spec.region ?? 'us-east-1',
    now: NOW,
  });
}

async function planSandbox(spec: AwsSpotOllamaSpec): Promise<unknown> {
  const stack = createTempStack('parity-sbx-');
  try {
    stack.write(renderSandbox(spec).files);
    const tf = new TerraformRunner({ inheritEnv: process.env, env: stack.env });
    await tf.init(stack.dir);
    await tf.plan(stack.dir, { out: 'p.tfplan' });
    return mapSandboxPlan(await tf.showJson(stack.dir, 'p.tfplan'));
  } finally {
    stack.cleanup();
  }
}

/** Runs `tasks` with at most `limit` at a time. */
async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  const queue = [...tasks];
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Real roots: the variants dealt round-robin into REAL_ROOTS roots. */
function groupRoots(): Array<Map<string, AwsSpotOllamaSpec>> {
  const roots = Array.from({ length: REAL_ROOTS }, () => new Map<string, AwsSpotOllamaSpec>());
  variants.forEach((v, i) => roots[i % REAL_ROOTS]!.set(`v${i}`, v.spec));
  return roots.filter((r) => r.size > 0);
}

/** Findings as comparable strings; the real plan's addresses sit under the module call. */
const findingKeys = (r: ValidationResult) =>
  r.findings.map((f) => `${f.ruleId} ${f.address.replace(/^module\.[a-z0-9_]+\./, '')}`).sort();

describe('sandbox parity with hashicorp/aws over the Atlas corpus', () => {
  beforeAll(async () => {
    requireTerraform();
    requireProviderMirror(MIRROR, 'aws');
    work = mkdtempSync(join(tmpdir(), 'parity-'));
    // One root of every variant: its plan is long on a loaded machine.
    const options = {
      mirrorDir: MIRROR,
      pluginCacheDir: join(work, 'plugin-cache'),
      workDir: work,
      timeoutMs: 360_000,
    };
    mkdirSync(options.pluginCacheDir);
    const real = new Map<string, OfflinePlanResult>();
    const planRoot = (stacks: Map<string, AwsSpotOllamaSpec>, n: number) => async () => {
      for (const [call, plan] of await planAwsOffline(`root${n}`, stacks, options)) real.set(call, plan);
    };
    const sandbox = new Map<string, ValidationResult>();
    const sandboxes = variants.map((v, i) => async () => {
      sandbox.set(`v${i}`, validate(await planSandbox(v.spec), v.spec));
    });
    // The real root and the sandbox plans side by side, one process chain each.
    await Promise.all([runLimited(groupRoots().map(planRoot), 1), runLimited(sandboxes, 1)]);
    variants.forEach((v, i) => {
      const r = real.get(`v${i}`);
      const s = sandbox.get(`v${i}`);
      if (!r || !s) throw new Error(`no ${r ? 'sandbox' : 'real'} plan for ${v.name}`);
      outcomes.set(`v${i}`, { sandbox: s, real: r.ok ? validate(r.plan, v.spec) : { refused: r.error } });
    });
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    const rows = variants.map((v, i) => {
      const o = outcomes.get(`v${i}`);
      const cell = (f: (r: ValidationResult) => string) =>
        !o ? 'not planned' : `${f(o.sandbox)} / ${'refused' in o.real ? 'refused by the module' : f(o.real)}`;
      return `| ${v.name} | ${cell((r) => String(r.findings.length))} | ${cell((r) => r.cost.monthlyUsd.toFixed(2))} |`;
    });
    console.log(
      ['| variant | findings sandbox / real | USD/month sandbox / real |', '|---|---|---|', ...rows].join('\n'),
    );
  });

  it.each(variants.map((v, i) => ({ ...v, call: `v${i}` })))(
    '$name ($phrasings phrasings): same findings and cost',
    ({ call }) => {
      const o = outcomes.get(call);
      if (!o) throw new Error('variant was not planned (see the beforeAll error)');
      // Whatever the sandbox plans, the module plans too: Sentinel judges both (a world-open
      // port is a finding in the review, not a Terraform error).
      if ('refused' in o.real) throw new Error(`the real provider refused a plan the sandbox made: ${o.real.refused}`);
      expect(findingKeys(o.sandbox)).toEqual(findingKeys(o.real));
      const { monthlyUsd: sandbox } = o.sandbox.cost;
      const { monthlyUsd: real } = o.real.cost;
      expect(Math.abs(sandbox - real), `sandbox $${sandbox} real $${real}`).toBeLessThanOrEqual(
        Math.max(real * 0.01, 0.01),
      );
      expect(o.sandbox.cost.unpriced.length).toBe(o.real.cost.unpriced.length);
    },
  );
});
