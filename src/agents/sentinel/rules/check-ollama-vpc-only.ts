import type { Finding } from '../../../../contracts/index.js';
import { lookupOne, type Lookup } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { cidrContains, parseCidr, type Cidr } from '../util/cidr.js';
import { collectSgRules, coversPort, portLabel, SG_RULE_TYPES } from './collect-sg-rules.js';
import { afterSource, inspectResources, type Check, type ValueSource } from './inspect-resources.js';
import { groupOfRule } from './find-attached-sg-rules.js';
import { allOfType, linkedBy, linkedOrOnly, type LinkedValues } from './link-resources.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

export const OLLAMA_PORT = 11434;
export const OLLAMA_VPC_ONLY: RuleInfo = {
  id: 'CREW_OLLAMA_VPC_ONLY',
  title: 'Ollama port 11434 reachable only from inside the VPC',
  severity: 'HIGH',
};

type VpcCidrs = { kind: 'known'; address: string; cidrs: Cidr[] } | { kind: 'unknown'; why: string };

function sourceOf(ctx: RuleContext, v: LinkedValues): ValueSource {
  if (v.resource) {
    const src = afterSource(ctx.index, v.resource);
    if (src) return src;
  }
  return {
    side: 'after',
    values: v.values,
    get: (p) => [{ kind: 'value', value: v.values[String(p)], path: String(p) } as Lookup],
  };
}

function findVpc(ctx: RuleContext, r: PlanResource, src: ValueSource): LinkedValues | null {
  if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group')
    return linkedOrOnly(ctx, r, src, 'vpc_id', 'aws_vpc');
  const sg = groupOfRule(ctx, r);
  if (sg?.resource) return linkedOrOnly(ctx, sg.resource, sourceOf(ctx, sg), 'vpc_id', 'aws_vpc');
  const vpcs = allOfType(ctx, 'aws_vpc');
  return vpcs.length === 1 ? (vpcs[0] ?? null) : null;
}

function vpcCidrs(ctx: RuleContext, vpc: LinkedValues | null): VpcCidrs {
  if (!vpc) return { kind: 'unknown', why: 'the VPC of this security group' };
  const src = sourceOf(ctx, vpc);
  const cidrs: Cidr[] = [];
  for (const attr of ['cidr_block', 'ipv6_cidr_block']) {
    const leaf = src.get(attr)[0];
    // Computed (e.g. from IPAM) is unknown, not absent, even when the configuration never wrote it.
    const rawUnknown = lookupOne(vpc.values, vpc.unknown, attr).kind === 'unknown';
    if (attr === 'cidr_block' && (leaf?.kind === 'unknown' || (rawUnknown && leaf?.kind !== 'value')))
      return { kind: 'unknown', why: `${vpc.address}.cidr_block` };
    const parsed = leaf?.kind === 'value' ? parseCidr(String(leaf.value)) : null;
    if (parsed) cidrs.push(parsed);
  }
  const vpcId = vpc.values.id;
  for (const assoc of allOfType(ctx, 'aws_vpc_ipv4_cidr_block_association')) {
    const linked = typeof vpcId === 'string' && assoc.values.vpc_id === vpcId;
    const viaRef =
      assoc.resource &&
      linkedBy(ctx, assoc.resource, sourceOf(ctx, assoc), 'vpc_id', 'aws_vpc').some((v) => v.address === vpc.address);
    const extra = typeof assoc.values.cidr_block === 'string' ? parseCidr(assoc.values.cidr_block) : null;
    if ((linked || viaRef) && extra) cidrs.push(extra);
  }
  return { kind: 'known', address: vpc.address, cidrs };
}

function inspect(ctx: RuleContext, src: ValueSource, r: PlanResource): Check[] {
  const exposing = collectSgRules(src, r).filter(
    (rule) => rule.direction === 'ingress' && coversPort(rule, OLLAMA_PORT) !== 'no',
  );
  if (exposing.length === 0) return [{ status: 'pass', key: 'ollama', observed: `port ${OLLAMA_PORT} not exposed` }];
  let vpc: VpcCidrs | undefined;
  const checks: Check[] = [];
  for (const rule of exposing) {
    if (coversPort(rule, OLLAMA_PORT) === 'unknown') {
      checks.push({ status: 'unknown', key: `${rule.key}:ports`, path: `${rule.key} protocol/ports` });
      continue;
    }
    for (const leaf of rule.cidrs) {
      if (leaf.kind === 'unknown') {
        checks.push({ status: 'unknown', key: leaf.path, path: leaf.path });
        continue;
      }
      if (leaf.kind !== 'value') continue;
      const text = String(leaf.value);
      const cidr = parseCidr(text);
      vpc ??= vpcCidrs(ctx, findVpc(ctx, r, src));
      // No VPC is larger than /16, so anything wider is outside whatever the VPC turns out to be.
      const tooWide = cidr !== null && cidr.prefix < (cidr.version === 4 ? 16 : 44);
      if (vpc.kind === 'unknown' && !tooWide && cidr !== null) {
        checks.push({ status: 'unknown', key: leaf.path, path: vpc.why });
        continue;
      }
      const inside = cidr !== null && vpc.kind === 'known' && vpc.cidrs.some((v) => cidrContains(v, cidr));
      if (inside) continue;
      const vpcText = vpc.kind === 'known' ? `the VPC CIDR of ${vpc.address}` : 'any VPC CIDR';
      checks.push({
        status: 'fail',
        key: 'ollama',
        observed: `port ${OLLAMA_PORT} open to ${text}`,
        message: `${rule.key === 'rule' ? 'rule' : rule.key} allows ${portLabel(rule)} from ${text}, outside ${vpcText}: allow port ${OLLAMA_PORT} only from the VPC CIDR (Ollama has no authentication)`,
      });
    }
  }
  if (!checks.some((c) => c.status === 'fail'))
    checks.push({ status: 'pass', key: 'ollama', observed: `port ${OLLAMA_PORT} open only inside the VPC` });
  return checks;
}

export const ollamaVpcOnlyRule: Rule = {
  infos: [OLLAMA_VPC_ONLY],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, OLLAMA_VPC_ONLY, SG_RULE_TYPES, (src, r) => inspect(ctx, src, r)),
};
