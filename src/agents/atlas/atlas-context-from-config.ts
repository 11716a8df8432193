import type { PlanSpec } from '../../../contracts/index.js';
import type { CrewConfig } from '../../config/read-config.js';
import type { StackStore } from '../../store/stack-store.js';
import type { OrgPolicy } from '../sentinel/policy/policy-types.js';
import type { AtlasContext, AtlasDefaults } from './atlas-types.js';
import { DEFAULT_ATLAS_DEFAULTS } from './default-atlas-defaults.js';

/** The defaults Atlas fills a goal with, from the crew's configuration. */
export function atlasDefaultsFromConfig(config: Readonly<CrewConfig>): AtlasDefaults {
  return {
    ...DEFAULT_ATLAS_DEFAULTS,
    region: config.region,
    vpcCidr: config.vpcCidr,
    instanceTypes: config.instanceTypes,
    timezone: config.timezone,
    target: config.target,
    brakeRatio: config.brakeRatio,
    dnsZone: config.dnsZone,
  };
}

/** Each applied stack's current PlanSpec: the parser is synchronous, and a change request merges into one. */
export async function readCurrentSpecs(stacks: Pick<StackStore, 'currentVersions'>): Promise<Map<string, PlanSpec>> {
  const current = new Map<string, PlanSpec>();
  for (const [stack, v] of await stacks.currentVersions()) if (v.spec) current.set(stack, v.spec);
  return current;
}

/** What `crew parse` and the MCP `parse_goal` tool draft with: the crew's defaults, policy, LLM and stacks. */
export function atlasContextFromConfig(
  config: Readonly<CrewConfig>,
  policy: OrgPolicy | undefined,
  current: ReadonlyMap<string, PlanSpec>,
): AtlasContext {
  return {
    defaults: atlasDefaultsFromConfig(config),
    currentSpec: (s: string) => current.get(s),
    ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
    ...(policy ? { constraints: policy } : {}),
    ...(config.ollamaHost ? { llm: { host: config.ollamaHost, model: config.ollamaModel } } : {}),
  };
}
