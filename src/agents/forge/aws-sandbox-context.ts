import type { AwsSpotOllamaSpec } from '../../../contracts/artifacts.js';
import type { SandboxValue } from './sandbox-expr.js';

/** What every aws-spot-ollama sandbox resource needs to know about the spec. */
export interface AwsSandboxContext {
  spec: AwsSpotOllamaSpec;
  region: string;
  /** Name prefix, as the module's var.name. */
  name: string;
  tags: Record<string, SandboxValue>;
  /** CIDR of the public subnet a NAT gateway needs; NAT is off (the module default) without it. */
  natSubnetCidr?: string;
  /** The module's `set_desired_capacity = false`: this plan leaves the group's live size alone. */
  holdDesiredCapacity: boolean;
}

export const DEFAULT_REGION = 'us-east-1';

export function createAwsSandboxContext(
  spec: AwsSpotOllamaSpec,
  natSubnetCidr?: string,
  holdDesiredCapacity = false,
): AwsSandboxContext {
  return {
    holdDesiredCapacity,
    spec,
    region: spec.region ?? DEFAULT_REGION,
    name: spec.stack,
    tags: { Blueprint: 'aws-spot-ollama', ManagedBy: 'infracrew', Stack: spec.stack },
    natSubnetCidr,
  };
}

/** Provider-style tags: `tags` as configured, `tags_all` merged with default tags (none here). */
export function tagged(ctx: AwsSandboxContext, name: string): Record<string, SandboxValue> {
  const tags = { ...ctx.tags, Name: name };
  return { tags, tags_all: tags };
}

/** Availability zone for the i-th subnet: the module spreads subnets over the region's zones. */
export function zoneFor(ctx: AwsSandboxContext, index: number): string {
  return `${ctx.region}${'abcdef'[index % 6] ?? 'a'}`;
}
