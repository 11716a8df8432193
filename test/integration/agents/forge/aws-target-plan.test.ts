import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../../src/bus/artifact-bus.js';
import type { ArtifactOn } from '../../../../src/bus/topic-map.js';
import { buildPlan } from '../../../../src/agents/forge/build-plan.js';
import { StalePlanError } from '../../../../src/agents/forge/change-runner.js';
import type { ForgeContext } from '../../../../src/agents/forge/forge-context.js';
import { explainFailure } from '../../../../src/agents/forge/explain-failure.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { readPlanJson } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { sha256Hex } from '../../../../src/util/new-id.js';
import { startAwsEndpoint, type AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import {
  awsTargetSpec,
  awsTerraformSettings,
  createDataDir,
  requireAwsMirror,
  type TempDataDir,
} from '../../../support/aws-target.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// TerraformChangeRunner on the aws target: the real hashicorp/aws provider from the filesystem
// mirror (CREW_TF_PLUGIN_MIRROR), planning against the local AWS endpoint.

type Plan = { resource_changes: Array<{ address: string; provider_name: string; mode: string }> };

let aws: AwsEndpoint;
const dirs: TempDataDir[] = [];

function runnerWith(env: Record<string, string>, home: string): TerraformChangeRunner {
  // HOME is private so no ~/.aws of this machine joins the credential chain.
  const tf = new TerraformRunner({ inheritEnv: { PATH: process.env.PATH ?? '', HOME: home }, timeoutMs: 180_000 });
  return new TerraformChangeRunner(tf, undefined, { settings: awsTerraformSettings(env) });
}

function dataDir(): string {
  const d = createDataDir();
  dirs.push(d);
  return d.dir;
}

beforeAll(async () => {
  requireTerraform();
  requireAwsMirror();
  aws = await startAwsEndpoint({ region: 'eu-west-1' });
});

afterAll(async () => {
  await aws?.stop();
  for (const d of dirs) d.cleanup();
});

describe('TerraformChangeRunner on the aws target', () => {
  it('plans the module with the real provider through the mirror; Sentinel finds what it finds on the sandbox', async () => {
    const dir = dataDir();
    const runner = runnerWith(aws.env(), dir);
    const ws = new StackWorkspace(dir, 'ollama-dev');
    // Open wide, large and never stopped: rules have something to say.
    const risky = {
      allowedCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
      schedule: undefined,
      maxSize: 20,
      desiredCapacity: 6,
    };
    const built = await runner.plan(awsTargetSpec(risky), ws, { name: 'p1', planId: 'pl_aws1' });
    expect(built.changes).toBe(true);
    expect(built.planFile.sha256).toBe(sha256Hex(readFileSync(built.planFile.path)));
    const text = readFileSync(built.planJson.path, 'utf8');
    expect(built.planJson.sha256).toBe(sha256Hex(text));
    const plan = JSON.parse(text) as Plan;
    const managed = plan.resource_changes.filter((r) => r.mode === 'managed');
    expect(managed.length).toBeGreaterThan(10);
    expect(new Set(plan.resource_changes.map((r) => r.provider_name))).toEqual(
      new Set(['registry.terraform.io/hashicorp/aws']),
    );
    expect(managed.every((r) => r.address.startsWith('module.ollama.'))).toBe(true);
    const actions = new Set(aws.calls.map((c) => `${c.service}:${c.action}`));
    expect(actions).toEqual(new Set(['sts:GetCallerIdentity', 'ec2:DescribeAvailabilityZones']));
    const main = JSON.parse(readFileSync(join(ws.dir, 'main.tf.json'), 'utf8')) as {
      provider: { aws: { default_tags: { tags: Record<string, string> } } };
    };
    expect(main.provider.aws.default_tags.tags).toMatchObject({ PlanId: 'pl_aws1', ManagedBy: 'infracrew' });

    // The same spec on the sandbox: the same rules fire on the same resources.
    const sbDir = dataDir();
    const sandbox = await runnerWith({}, sbDir).plan(awsSpec(risky), new StackWorkspace(sbDir, 'ollama-dev'), {
      name: 'p1',
    });
    const judge = (path: string) => {
      const read = readPlanJson(readFileSync(path, 'utf8'));
      if (!read.ok) throw new Error(read.reason);
      return evaluatePlan(read.plan, { budgetUsd: 300, now: new Date('2027-01-06') });
    };
    const real = judge(built.planJson.path);
    const sb = judge(sandbox.planJson.path);
    const key = (f: { ruleId: string; severity: string; address: string }) =>
      `${f.ruleId} ${f.severity} ${f.address.replace(/^module\.ollama\./, '')}`;
    expect(sb.findings.length).toBeGreaterThan(0);
    expect(real.findings.map(key).sort()).toEqual(sb.findings.map(key).sort());
    expect(real.verdict).toBe(sb.verdict);
    expect(real.cost.monthlyUsd).toBeCloseTo(sb.cost.monthlyUsd, 2);
  });

  it('a saved aws plan whose state moved is stale: nothing is applied', async () => {
    const dir = dataDir();
    const runner = runnerWith(aws.env(), dir);
    const ws = new StackWorkspace(dir, 'ollama-dev');
    const built = await runner.plan(awsTargetSpec(), ws, { name: 'p1', planId: 'pl_stale' });
    // Another apply moved the stack's state meanwhile.
    const state = { version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'moved', outputs: {}, resources: [] };
    writeFileSync(join(ws.dir, 'terraform.tfstate'), JSON.stringify(state));
    aws.reset();
    await expect(runner.apply(awsTargetSpec(), ws, built.planFile.path)).rejects.toBeInstanceOf(StalePlanError);
    expect(aws.createCounts()).toEqual({});
  });

  it('rejected credentials fail the plan with the reason AWS gave, in the BuildStatus the Conductor fails it with', async () => {
    const dir = dataDir();
    const runner = runnerWith(aws.env(), dir);
    const published: Array<{ topic: string; payload: { ok?: boolean; detail?: string } }> = [];
    const forge = {
      options: {
        dataDir: dir,
        plans: {
          get: () => Promise.resolve({ state: 'IN_PROGRESS' }),
          state: async () => 'IN_PROGRESS',
          watch: async () => async () => undefined,
        },
        bus: {
          publish: (topic: string, artifact: { payload: { ok?: boolean; detail?: string } }) => {
            published.push({ topic, payload: artifact.payload });
            return Promise.resolve();
          },
        },
      },
      runnerFor: () => runner,
    } as unknown as ForgeContext;
    const request = makeArtifact('PlanSpec', 'pl_expired', awsTargetSpec(), { producer: 'conductor' });
    aws.rejectCredentials('ExpiredToken', 'The security token included in the request is expired');
    try {
      await buildPlan(forge, request as ArtifactOn<'build.request'>);
    } finally {
      aws.acceptCredentials();
    }
    const failed = published.find((p) => p.topic === 'build.status' && p.payload.ok === false);
    expect(failed?.payload.detail).toMatch(
      /^AWS rejected the credentials: ExpiredToken The security token included in the request is expired/,
    );
    expect(published.some((p) => p.topic === 'validate.pending')).toBe(false);
  });

  it('no credentials at all fail the plan saying how to provide them', async () => {
    const dir = dataDir();
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...noKeys } = aws.env();
    const err = await runnerWith(noKeys, dir)
      .plan(awsTargetSpec(), new StackWorkspace(dir, 'ollama-dev'), { name: 'p1' })
      .catch((e: unknown) => e);
    expect(explainFailure(err)).toMatch(/^no AWS credentials found: set AWS_PROFILE/);
  });
});
