import type { BlueprintName, PlanSpec } from '../../../contracts/index.js';
import { matchesOf } from '../../util/regexps.js';
import { DEFAULT_STACKS } from './default-atlas-defaults.js';
import type { GoalFacts } from './extract-facts.js';

export type Choice =
  | { kind: 'choice'; blueprint: BlueprintName; stack?: string; current?: PlanSpec; stackNamed: boolean }
  | { kind: 'blocked'; reason: string; unmapped?: boolean };

const CHANGE_VERB =
  /\b(?:scale|resize|drop|remove|delete|update|change|modify|shrink|grow|switch|bump|increase|decrease|reduce|raise|lower|downsize|upgrade|cancel|disable|extend)\b/g;
/**
 * A change verb in what is left of the goal, other than "scale" giving the group its size ("scale
 * 0-4", "scale between 1 and 3", "scaling from 0 to 4"): that is part of a new stack's request.
 */
function changesSomething(f: GoalFacts): boolean {
  for (const m of matchesOf(CHANGE_VERB, f.rest)) {
    const sizing = /^scal/.test(m[0]) && /^\s+(?:(?:between|from)\s+)?\d/.test(f.lower.slice(m.index + m[0].length));
    if (!sizing) return true;
  }
  return false;
}

const DESTROY =
  /\b(?:destroy|tear\s+down|teardown|decommission|nuke|wipe)\b|\b(?:delete|remove)\s+(?:the\s+)?(?:whole\s+|entire\s+)?(?:[a-z0-9-]+\s+)?stack\b/;

const OTHER_SERVICE =
  /\b(?:rds|mysql|mariadb|postgres(?:ql)?|aurora|dynamodb|elasticache|redis|s3|buckets?|lambdas?|eks|gke|aks|ecs|fargate|cloudfront|sqs|sns|databases?|mongo(?:db)?|kafka|msk|elasticsearch|opensearch)\b/;
/** Kubernetes on a public cloud ("a kubernetes cluster on AWS") is a managed service, not k3s on Proxmox. */
const CLOUD_KUBERNETES =
  /\b(?:kubernetes|k8s)\b[^.;]*\b(?:aws|amazon|ec2|gcp|google cloud|azure)\b|\b(?:aws|amazon|gcp|google cloud|azure)\b[^.;]*\b(?:kubernetes|k8s)\b/;

/** The blueprint the keywords point at, if any. Values were blanked, so only words count. */
export function detectBlueprint(f: GoalFacts): BlueprintName | undefined {
  const r = f.rest;
  // "blueprint=proxmox-k3s", "aws-spot-ollama | stack=…": the catalog's own name says it.
  const named = /(?<![\w-])(aws-spot-ollama|asg-schedule|proxmox-k3s|dns-record)(?![\w-])/.exec(f.lower)?.[1];
  if (named) return named as BlueprintName;
  const ip = f.network.ipv4.length + f.network.ipv6.length > 0 || f.dns.txt !== undefined;
  if (/\bdns\b/.test(r) || f.dns.type !== undefined) return 'dns-record';
  const onProxmox = /\b(?:k3s|proxmox|pve|rke2)\b/.test(r);
  if (!onProxmox && (CLOUD_KUBERNETES.test(r) || /\b(?:eks|gke|aks)\b/.test(r))) return undefined;
  if (onProxmox || /\b(?:k8s|kubernetes)\b/.test(r)) return 'proxmox-k3s';
  if (f.names.asgName) return 'asg-schedule';
  // A service outside the catalog ("a MySQL RDS instance") is no Ollama group, unless the goal says Ollama.
  const foreign = OTHER_SERVICE.test(r) && !/\b(?:ollama|llms?|gpus?|inference)\b/.test(r) && !f.compute.model;
  // An instance type alone does not make it one either: "an EKS cluster with 3 m5.large nodes".
  if (
    (!foreign &&
      (/\b(?:ollama|llms?|spot|gpus?|inference|ec2|aws|instances?)\b/.test(r) ||
        f.compute.instanceTypes.length + f.compute.removedTypes.length > 0)) ||
    f.compute.model
  ) {
    return 'aws-spot-ollama';
  }
  if (
    (f.dns.fqdns.length > 0 || f.dns.bareName) &&
    (ip || f.dns.remove || f.dns.keyword || f.dns.ttl !== undefined || /\b(?:point|resolve|map|alias)\b/.test(r))
  ) {
    return 'dns-record';
  }
  // "- control-plane nodes: 3 / - GPU workers: 2": a cluster's roles, counted, are a k3s cluster.
  const c = f.counts;
  if (c.servers !== undefined && (c.workers !== undefined || c.gpuWorkers !== undefined)) return 'proxmox-k3s';
  return undefined;
}

/** The stack the goal means and whether the goal names it; the stack's blueprint wins. */
export function chooseBlueprint(
  f: GoalFacts,
  named: string | undefined,
  lookup: (stack: string) => PlanSpec | undefined,
): Choice {
  const keyword = detectBlueprint(f);
  if (named && DESTROY.test(f.lower)) {
    return {
      kind: 'blocked',
      reason: `Removing a whole stack (${named}) is not a plan Atlas drafts: use /rollback to undo it, or scale it to zero.`,
    };
  }
  // "move the stop of sched-x-asg to 20:00": a schedule stack's own name, read as the group's.
  const scheduleStack = !named && f.names.asgName ? lookup(f.names.asgName) : undefined;
  if (scheduleStack?.blueprint === 'asg-schedule' && f.names.asgName)
    return {
      kind: 'choice',
      blueprint: 'asg-schedule',
      stack: f.names.asgName,
      current: scheduleStack,
      stackNamed: true,
    };
  // "rename ollama-dev to ollama-test": the stack itself, named right after the verb.
  const renamed = /\bre-?nam(?:e|ing)\s+(?:the\s+)?(?:stack\s+)?([a-z0-9][a-z0-9-]*)/.exec(f.lower)?.[1];
  if (named && renamed === named && lookup(named)) {
    return {
      kind: 'blocked',
      reason: `Renaming a stack (${named}) is not a plan Atlas drafts: its resources and Terraform state are kept under its name. Create the new stack with the same goal ("…, stack <new-name>"), then roll back ${named} or scale it to zero.`,
    };
  }
  if (f.names.asgName && keyword !== 'dns-record') {
    const stack =
      named ??
      `sched-${f.names.asgName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^[^a-z]+/, '')}`
        .slice(0, 40)
        .replace(/-+$/, '');
    const current = lookup(stack);
    if (current && current.blueprint !== 'asg-schedule') return mismatch(stack, current.blueprint, 'asg-schedule');
    return { kind: 'choice', blueprint: 'asg-schedule', stack, current, stackNamed: named !== undefined };
  }
  const current = named ? lookup(named) : undefined;
  if (named && current) {
    if (
      keyword &&
      keyword !== current.blueprint &&
      !(keyword === 'aws-spot-ollama' && current.blueprint === 'asg-schedule')
    ) {
      return mismatch(named, current.blueprint, keyword);
    }
    return { kind: 'choice', blueprint: current.blueprint, stack: named, current, stackNamed: true };
  }
  if (named && (!keyword || (keyword !== 'dns-record' && changesSomething(f)))) {
    return {
      kind: 'blocked',
      reason: `Stack ${named} is unknown: there is no current plan to change. Create it first (e.g. "private Ollama on spot g4dn.xlarge, stack ${named}").`,
    };
  }
  if (!keyword) {
    return { kind: 'blocked', reason: 'The goal does not match any blueprint in the catalog.', unmapped: true };
  }
  if (keyword === 'dns-record')
    return { kind: 'choice', blueprint: keyword, stack: named, stackNamed: named !== undefined };
  const stack =
    named ??
    (keyword === 'proxmox-k3s'
      ? DEFAULT_STACKS.proxmoxK3s
      : keyword === 'aws-spot-ollama'
        ? DEFAULT_STACKS.awsSpotOllama
        : undefined);
  const existing = stack ? lookup(stack) : undefined;
  if (existing && existing.blueprint !== keyword) return mismatch(stack ?? '', existing.blueprint, keyword);
  // A goal that names no stack never changes a standing one by its default name.
  if (existing && !named)
    return {
      kind: 'blocked',
      reason: `The goal names no stack, and ${stack}, the default name, is a stack that stands: say "stack <new-name>" for a new one, or "change ${stack} …" to change it.`,
    };
  if (keyword === 'aws-spot-ollama' && !existing && !named && statesNothing(f)) {
    return {
      kind: 'blocked',
      reason:
        'The goal states nothing to plan an Ollama group from, only a wish ("LLM", "GPU"): which model, instance type, region or budget? e.g. "private Ollama on spot g5.xlarge in eu-west-1 with llama3.1:8b, $400/month".',
    };
  }
  return { kind: 'choice', blueprint: keyword, stack, current: existing, stackNamed: named !== undefined };
}

/**
 * "set something up for our LLM stuff, you know what we need": only a generic word chose the
 * blueprint, and no value of it is stated. Every value would be a default, so Atlas asks.
 */
function statesNothing(f: GoalFacts): boolean {
  const c = f.counts;
  return (
    !/\b(?:ollama|spot|ec2|instances?|asg|autoscaling)\b/.test(f.rest) &&
    f.compute.instanceTypes.length + f.compute.removedTypes.length === 0 &&
    !f.compute.model &&
    f.compute.volumeGb === undefined &&
    !f.region &&
    f.budgetUsd === undefined &&
    [c.desired, c.min, c.max, c.onDemand].every((v) => v === undefined) &&
    !f.schedule.mentioned &&
    f.network.allowedCidrs.length + f.network.removedCidrs.length === 0 &&
    f.network.port === undefined
  );
}

/** "an aws-spot-ollama plan", "a proxmox-k3s plan". */
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

function mismatch(stack: string, has: BlueprintName, asked: BlueprintName): Choice {
  return {
    kind: 'blocked',
    reason: `Stack ${stack} holds ${article(has)} ${has} plan; ${article(asked)} ${asked} change cannot be applied to it. Name another stack.`,
  };
}

/** The choice for a blueprint the model picked when the keywords matched none. */
export function forceBlueprint(
  blueprint: BlueprintName,
  f: GoalFacts,
  named: string | undefined,
  lookup: (stack: string) => PlanSpec | undefined,
): Extract<Choice, { kind: 'choice' }> | undefined {
  if (blueprint === 'asg-schedule') {
    const c = f.names.asgName ? chooseBlueprint(f, named, lookup) : undefined;
    return c?.kind === 'choice' && c.blueprint === blueprint ? c : undefined;
  }
  const stack =
    named ??
    (blueprint === 'proxmox-k3s'
      ? DEFAULT_STACKS.proxmoxK3s
      : blueprint === 'aws-spot-ollama'
        ? DEFAULT_STACKS.awsSpotOllama
        : undefined);
  const current = stack ? lookup(stack) : undefined;
  if (current && current.blueprint !== blueprint) return undefined;
  return { kind: 'choice', blueprint, stack, current, stackNamed: named !== undefined };
}
