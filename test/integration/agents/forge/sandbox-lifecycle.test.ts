import { beforeAll, describe, expect, it } from 'vitest';
import { mapSandboxPlan } from '../../../../src/agents/forge/map-sandbox-plan.js';
import { renderSandbox } from '../../../../src/agents/forge/render-sandbox.js';
import { summarizeChanges } from '../../../../src/agents/forge/summarize-changes.js';
import { SubprocessError } from '../../../../src/agents/forge/subprocess-error.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { createTempStack, requireTerraform } from '../../../support/terraform-harness.js';

type Change = {
  address: string;
  type: string;
  provider_name: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown: unknown;
  };
};
type Plan = {
  format_version: string;
  resource_changes: Change[];
  configuration: { provider_config: Record<string, { expressions: Record<string, unknown> }> };
};

const byAddress = (plan: Plan, address: string): Change => {
  const found = plan.resource_changes.find((rc) => rc.address === address);
  if (!found) throw new Error(`${address} not in plan: ${plan.resource_changes.map((r) => r.address).join(', ')}`);
  return found;
};

beforeAll(() => {
  requireTerraform();
});

describe('sandbox stack on the real terraform binary', () => {
  it('plans, applies, updates, replaces and destroys with cloud-shaped plan JSON', async () => {
    const stack = createTempStack();
    try {
      const tf = new TerraformRunner({ inheritEnv: process.env, env: stack.env, timeoutMs: 60_000 });
      const planned = async (spec = awsSpec(), destroy = false, holdDesiredCapacity = false) => {
        stack.write(renderSandbox(spec, { holdDesiredCapacity }).files);
        const result = await tf.plan(stack.dir, { out: 'current.tfplan', destroy });
        const plan = mapSandboxPlan(await tf.showJson(stack.dir, 'current.tfplan')) as Plan;
        return { ...result, plan };
      };

      stack.write(renderSandbox(awsSpec()).files);
      await tf.init(stack.dir);
      const created = await planned();
      expect(created.changes).toBe(true);
      expect(created.plan.format_version).toMatch(/^1\./);
      const sg = byAddress(created.plan, 'aws_security_group.ollama');
      expect(sg.provider_name).toBe('registry.terraform.io/hashicorp/aws');
      expect(sg.change.actions).toEqual(['create']);
      expect(sg.change.after?.ingress).toEqual([
        expect.objectContaining({ from_port: 11434, to_port: 11434, cidr_blocks: ['10.42.0.0/16'] }),
      ]);
      expect(sg.change.after_unknown).toMatchObject({ vpc_id: true });
      const lt = byAddress(created.plan, 'aws_launch_template.ollama');
      expect(lt.change.after?.metadata_options).toEqual([expect.objectContaining({ http_tokens: 'required' })]);
      expect(byAddress(created.plan, 'aws_subnet.private[1]').change.after).toMatchObject({
        map_public_ip_on_launch: false,
      });
      expect(created.plan.configuration.provider_config.aws?.expressions.region).toEqual({
        constant_value: 'eu-west-1',
      });
      const summary = summarizeChanges(created.plan);
      expect(summary).toMatchObject({ create: created.plan.resource_changes.length, update: 0, replace: 0, delete: 0 });

      await tf.apply(stack.dir, 'current.tfplan');
      const outputs = await tf.outputs(stack.dir);
      expect(outputs).toMatchObject({
        autoscaling_group_name: 'ollama-dev-ollama',
        ollama_port: 11434,
        launch_template_version: 1,
      });
      expect(typeof outputs.vpc_id).toBe('string');

      expect((await planned()).changes).toBe(false);

      // A new size is set on the group and on the start action that restores it after weekends.
      const scaled = await planned(awsSpec({ desiredCapacity: 2 }));
      expect(scaled.changes).toBe(true);
      expect(byAddress(scaled.plan, 'aws_autoscaling_schedule.start[0]').change).toMatchObject({
        actions: ['update'],
        after: { desired_capacity: 2 },
      });
      expect(byAddress(scaled.plan, 'aws_autoscaling_group.ollama').change).toMatchObject({
        actions: ['update'],
        before: { desired_capacity: 1 },
        after: { desired_capacity: 2 },
      });
      expect(summarizeChanges(scaled.plan)).toMatchObject({ update: 2, replace: 0 });
      // Held (planned while the schedule has the group stopped): only the start action changes.
      const held = await planned(awsSpec({ desiredCapacity: 2 }), false, true);
      expect(byAddress(held.plan, 'aws_autoscaling_group.ollama').change.actions).toEqual(['no-op']);
      expect(summarizeChanges(held.plan)).toMatchObject({ update: 1, replace: 0 });

      const template = await planned(awsSpec({ volumeGb: 200 }));
      expect(byAddress(template.plan, 'aws_launch_template.ollama').change.actions).toEqual(['update']);
      // The pinned version becomes unknown, so the ASG is updated too, as on AWS.
      expect(byAddress(template.plan, 'aws_autoscaling_group.ollama').change.actions).toEqual(['update']);

      const moved = await planned(
        awsSpec({
          vpcCidr: '10.43.0.0/16',
          privateSubnetCidrs: ['10.43.1.0/24', '10.43.2.0/24'],
          allowedCidrs: ['10.43.0.0/16'],
        }),
      );
      const vpc = byAddress(moved.plan, 'aws_vpc.main');
      expect(vpc.change.actions).toEqual(['delete', 'create']);
      expect(byAddress(moved.plan, 'aws_subnet.private[0]').change.actions).toEqual(['delete', 'create']);
      expect(byAddress(moved.plan, 'aws_security_group.ollama').change.actions).toEqual(['delete', 'create']);
      expect(summarizeChanges(moved.plan).replace).toBeGreaterThanOrEqual(5);

      const destroy = await planned(awsSpec(), true);
      expect(destroy.changes).toBe(true);
      expect(destroy.plan.resource_changes.every((rc) => rc.change.actions.join() === 'delete')).toBe(true);
      expect(summarizeChanges(destroy.plan).delete).toBe(created.plan.resource_changes.length);
      await tf.apply(stack.dir, 'current.tfplan');
      expect(await tf.outputs(stack.dir)).toEqual({});
    } finally {
      stack.cleanup();
    }
  });

  it('refuses a saved plan once another apply moved the state', async () => {
    const stack = createTempStack();
    try {
      const tf = new TerraformRunner({ inheritEnv: process.env, env: stack.env, timeoutMs: 60_000 });
      stack.write(renderSandbox(awsSpec()).files);
      await tf.init(stack.dir);
      await tf.plan(stack.dir, { out: 'base.tfplan' });
      await tf.apply(stack.dir, 'base.tfplan');

      stack.write(renderSandbox(awsSpec({ desiredCapacity: 2 })).files);
      await tf.plan(stack.dir, { out: 'a.tfplan' });
      stack.write(renderSandbox(awsSpec({ volumeGb: 150 })).files);
      await tf.plan(stack.dir, { out: 'b.tfplan' });
      await tf.apply(stack.dir, 'b.tfplan');

      const err = await tf.apply(stack.dir, 'a.tfplan').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubprocessError);
      expect(err).toMatchObject({ stale: true, timedOut: false, exitCode: 1, code: 'CREW_ERR_TERRAFORM' });
      expect((err as SubprocessError).stderr).toMatch(/Saved plan is stale/);
    } finally {
      stack.cleanup();
    }
  });
});
