import { relative } from 'node:path';
import type { AwsSpotOllamaSpec } from '../../../contracts/artifacts.js';
import { DEFAULT_REGION } from './aws-sandbox-context.js';
import { locateModule } from './locate-module.js';
import { checkModelName } from './render-user-data.js';
import { escapeTemplate } from './sandbox-expr.js';
import { scheduleToCron } from './schedule-to-cron.js';

export interface RenderAwsOptions {
  /** Directory the root config will live in: the module source becomes relative to it. */
  rootDir?: string;
  /** The module's source as written (e.g. `./modules/aws-spot-ollama`, a copy in the workspace). */
  moduleSource?: string;
  /** Turns on the module's NAT gateway with this public subnet. */
  natSubnetCidr?: string;
  /** Leaves the group's live desired capacity alone (see RenderSandboxOptions). */
  holdDesiredCapacity?: boolean;
  /** Tags every resource with the plan that last changed it (provider default tags). */
  planId?: string;
}

/**
 * The AWS provider version every aws root config pins: what the crew is tested with, and what
 * an air-gapped provider mirror must hold (`terraform providers mirror`).
 */
export const AWS_PROVIDER_VERSION = '5.100.0';

/**
 * Root config for the aws target: the aws-spot-ollama module with the spec's parameters.
 * Needs the AWS provider (registry or a filesystem mirror via TF_CLI_CONFIG_FILE).
 */
export function renderAws(spec: AwsSpotOllamaSpec, options: RenderAwsOptions = {}): { files: Record<string, string> } {
  const p = spec.params;
  // The model reaches the instances' boot script (user-data.sh.tftpl): a name, never shell.
  checkModelName(p.model ?? '');
  const modulePath = locateModule('aws-spot-ollama');
  const rel = options.rootDir ? relative(options.rootDir, modulePath) : modulePath;
  const source = options.moduleSource ?? (options.rootDir && !rel.startsWith('..') ? `./${rel}` : rel);
  const tags = { Blueprint: spec.blueprint, ManagedBy: 'infracrew', Stack: spec.stack };
  const moduleArgs: Record<string, unknown> = {
    source,
    name: spec.stack,
    vpc_cidr: p.vpcCidr,
    private_subnet_cidrs: p.privateSubnetCidrs,
    ollama_port: p.ollamaPort,
    allowed_cidrs: p.allowedCidrs,
    instance_types: p.instanceTypes,
    min_size: p.minSize,
    max_size: p.maxSize,
    desired_capacity: p.desiredCapacity,
    set_desired_capacity: !(options.holdDesiredCapacity ?? false),
    on_demand_base: p.onDemandBase,
    volume_gb: p.volumeGb,
    model: p.model ?? '',
    schedule: p.schedule
      ? {
          stop_recurrence: scheduleToCron(p.schedule.stop),
          start_recurrence: scheduleToCron(p.schedule.start),
          time_zone: p.schedule.timezone,
        }
      : null,
    enable_nat_gateway: options.natSubnetCidr !== undefined,
    public_subnet_cidr: options.natSubnetCidr ?? null,
    tags,
  };
  const defaultTags = { ...tags, ...(options.planId ? { PlanId: options.planId } : {}) };
  const out = (name: string, description: string) => ({ value: `\${module.ollama.${name}}`, description });
  const config = {
    terraform: {
      required_version: '>= 1.5',
      required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION } },
    },
    provider: { aws: escapeStrings({ region: spec.region ?? DEFAULT_REGION, default_tags: { tags: defaultTags } }) },
    module: { ollama: escapeStrings(moduleArgs) },
    output: {
      vpc_id: out('vpc_id', 'VPC id'),
      private_subnet_ids: out('private_subnet_ids', 'Private subnet ids'),
      security_group_id: out('security_group_id', 'Security group of the Ollama instances'),
      autoscaling_group_name: out('autoscaling_group_name', 'Auto Scaling group name'),
      launch_template_version: out('launch_template_version', 'Launch template version the ASG is pinned to'),
      ollama_port: out('ollama_port', 'Port Ollama listens on'),
    },
  };
  return { files: { 'main.tf.json': `${JSON.stringify(config, null, 2)}\n` } };
}

/** Keys too: Terraform reads the keys of a JSON object expression (the tags) as templates. */
function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), escapeStrings(v)]));
  return value;
}
