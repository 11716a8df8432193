import { BUDGET_BRAKE, POLICY_STACK_COST } from '../budget/check-budget.js';
import { COST_UNPRICED } from '../budget/check-unpriced.js';
import { policyInstanceTypeRule, policyPortsRule, policyRegionRule } from '../policy/check-policy-limits.js';
import { asgLaunchTemplateRule } from './check-asg-launch-template.js';
import { ebsVolumeEncryptionRule, instanceEncryptionRule, launchTemplateEncryptionRule } from './check-encryption.js';
import { imdsHopLimitRule, imdsV2Rule, publicIpRule, subnetPublicIpRule } from './check-instance-settings.js';
import { ollamaVpcOnlyRule } from './check-ollama-vpc-only.js';
import { proxmoxPasswordRule, proxmoxTlsRule } from './check-proxmox.js';
import { publicEgressRule } from './check-public-egress.js';
import { scheduleDriftRule, schedulesRule } from './check-schedules.js';
import { scheduleResetRule } from './check-schedule-reset.js';
import { sgDescriptionsRule } from './check-sg-descriptions.js';
import { statefulDestroyRule } from './check-stateful-destroy.js';
import { userDataSecretsRule } from './check-user-data-secrets.js';
import { defaultSgRule, defaultVpcRule, flowLogsRule } from './check-vpc-hygiene.js';
import { worldIngressRule } from './check-world-ingress.js';
import { UNKNOWN_VALUE, type Rule, type RuleInfo } from './rule-types.js';

/** Every built-in rule, in report order. */
export const RULES: readonly Rule[] = [
  worldIngressRule,
  ollamaVpcOnlyRule,
  publicEgressRule,
  sgDescriptionsRule,
  defaultSgRule,
  flowLogsRule,
  defaultVpcRule,
  subnetPublicIpRule,
  imdsV2Rule,
  imdsHopLimitRule,
  publicIpRule,
  instanceEncryptionRule,
  ebsVolumeEncryptionRule,
  launchTemplateEncryptionRule,
  userDataSecretsRule,
  asgLaunchTemplateRule,
  schedulesRule,
  scheduleDriftRule,
  scheduleResetRule,
  proxmoxTlsRule,
  proxmoxPasswordRule,
  statefulDestroyRule,
  policyRegionRule,
  policyInstanceTypeRule,
  policyPortsRule,
];

/** ruleId → title and references, for reports (`Check: CKV_AWS_79: "…"`). */
export const RULE_INFO: ReadonlyMap<string, RuleInfo> = new Map(
  [...RULES.flatMap((r) => r.infos), UNKNOWN_VALUE, BUDGET_BRAKE, COST_UNPRICED, POLICY_STACK_COST].map((i) => [
    i.id,
    i,
  ]),
);
