import type { CrewConfig } from '../../config/read-config.js';
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

/**
 * What `crew parse` and the MCP `parse_goal` tool draft with: the crew's defaults, policy and LLM
 * (the applied stacks a goal names are read as it is drafted: draftGoalWithStacks).
 */
export function atlasContextFromConfig(config: Readonly<CrewConfig>, policy: OrgPolicy | undefined): AtlasContext {
  return {
    defaults: atlasDefaultsFromConfig(config),
    ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
    ...(policy ? { constraints: policy } : {}),
    ...(config.ollamaHost ? { llm: { host: config.ollamaHost, model: config.ollamaModel } } : {}),
  };
}
