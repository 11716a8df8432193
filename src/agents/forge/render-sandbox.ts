import type { PlanSpec } from '../../../contracts/artifacts.js';
import { CrewError } from '../../errors.js';
import { createAwsSandboxContext } from './aws-sandbox-context.js';
import { renderAwsComputeSandbox } from './render-aws-compute-sandbox.js';
import { renderAwsNetworkSandbox } from './render-aws-network-sandbox.js';
import { renderProxmoxSandbox } from './render-proxmox-sandbox.js';
import { type SandboxParts, Expr, ref, sandboxName, toTerraformJson } from './sandbox-expr.js';

export interface RenderSandboxOptions {
  /** Renders the module's optional NAT path with this public subnet (aws-spot-ollama only). */
  natSubnetCidr?: string;
  /**
   * aws-spot-ollama: leave the group's live desired capacity alone (the module's
   * `set_desired_capacity = false`), for plans made while its weekend schedule has it stopped.
   */
  holdDesiredCapacity?: boolean;
}

export interface SandboxRender {
  /** File name → content of the root config directory. */
  files: Record<string, string>;
  /** Cloud addresses without index, e.g. `aws_subnet.private`, sorted. */
  resources: string[];
}

/**
 * Renders the resources a blueprint's module would create as built-in `terraform_data`, so a
 * real terraform init/plan/apply runs without providers or credentials.
 */
export function renderSandbox(spec: PlanSpec, options: RenderSandboxOptions = {}): SandboxRender {
  const parts = renderParts(spec, options);
  const data: Record<string, unknown> = {};
  for (const r of parts.resources) {
    const block: Record<string, unknown> = { input: toTerraformJson(r.input) };
    if (r.replaceOn) block.triggers_replace = toTerraformJson(r.replaceOn);
    // Attribute syntax on purpose: with `input["key"]` Terraform also ignores unknown values
    // elsewhere in input, hiding e.g. a launch template version change.
    if (r.ignoreChanges) block.lifecycle = { ignore_changes: r.ignoreChanges.map((k) => `input.${k}`) };
    data[sandboxName(r.type, r.name, r.index)] = block;
  }
  const config = {
    terraform: { required_version: '>= 1.4' },
    variable: parts.variables,
    resource: { terraform_data: data },
    output: Object.fromEntries(
      Object.entries(parts.outputs).map(([k, o]) => [
        k,
        { value: toTerraformJson(o.value), description: o.description },
      ]),
    ),
  };
  const resources = [...new Set(parts.resources.map((r) => `${r.type}.${r.name}`))].sort();
  return { files: { 'main.tf.json': `${JSON.stringify(config, null, 2)}\n` }, resources };
}

function renderParts(spec: PlanSpec, options: RenderSandboxOptions): SandboxParts {
  if (spec.blueprint === 'aws-spot-ollama') {
    const ctx = createAwsSandboxContext(spec, options.natSubnetCidr, options.holdDesiredCapacity ?? false);
    const subnets = spec.params.privateSubnetCidrs.map((_, i) => ref('aws_subnet', 'private', i));
    return {
      resources: [...renderAwsNetworkSandbox(ctx), ...renderAwsComputeSandbox(ctx)],
      variables: {
        region: { type: 'string', default: ctx.region, description: 'AWS region the aws target would use' },
      },
      outputs: {
        vpc_id: { value: ref('aws_vpc', 'main'), description: 'VPC id' },
        private_subnet_ids: { value: subnets, description: 'Private subnet ids' },
        security_group_id: {
          value: ref('aws_security_group', 'ollama'),
          description: 'Security group of the Ollama instances',
        },
        autoscaling_group_name: { value: `${ctx.name}-ollama`, description: 'Auto Scaling group name' },
        ollama_port: { value: spec.params.ollamaPort, description: 'Port Ollama listens on' },
        launch_template_version: {
          value: new Expr(`\${terraform_data.${sandboxName('aws_launch_template', 'ollama')}.output.latest_version}`),
          description: 'Launch template version the ASG is pinned to',
        },
      },
    };
  }
  if (spec.blueprint === 'proxmox-k3s') return renderProxmoxSandbox(spec);
  throw new CrewError('CREW_ERR_BAD_INPUT', `blueprint ${spec.blueprint} has no sandbox rendering`);
}
