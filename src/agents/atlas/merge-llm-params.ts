import { isDeepStrictEqual } from 'node:util';
import type {
  AsgScheduleParams,
  AwsSpotOllamaParams,
  DnsRecordParams,
  ProxmoxK3sParams,
} from '../../../contracts/index.js';
import type { Draft, Params } from './atlas-types.js';
import { readPlacement } from './read-placement.js';
import { isTimeZone } from './extract-timezone.js';
import type { GoalFacts } from './extract-facts.js';
import { cidrInside, defaultSubnets } from './extract-network.js';
import { namedInGoal, sameNetwork, writtenNetworks } from './ground-llm-values.js';

/**
 * Merges the model's params over the parser's draft without letting the model override the
 * person or widen the plan.
 * - Blueprint, stack, destructive switches (dns action, asg remove) and names stay the parser's.
 * - A value the person stated (instance types, counts, sizes, disk, model, schedule, placement)
 *   is the parser's reading of their words: the model cannot change it.
 * - Network exposure (allowedCidrs, vpcCidr, subnets) takes a model value only when it is the
 *   same network (address and prefix) as one the goal states; the port and TTL are the parser's.
 * - Other fields are the model's: schema-checked, priced and budget-braked by Sentinel, and
 *   approved by a human.
 */
export function mergeLlmParams(draft: Draft, llm: Record<string, unknown>, f: GoalFacts, notes: string[]): Params {
  const keep = <T>(label: string, stated: boolean, parser: T, model: T): T => {
    if (!stated) return model;
    if (!isDeepStrictEqual(parser, model))
      notes.push(
        `Kept ${label} ${JSON.stringify(parser)} as the goal states it; the model's ${JSON.stringify(model)} was not used.`,
      );
    return parser;
  };
  switch (draft.blueprint) {
    case 'aws-spot-ollama':
      return mergeAws(draft.params as AwsSpotOllamaParams, llm as AwsSpotOllamaParams, f, notes, keep);
    case 'asg-schedule': {
      const p = draft.params as AsgScheduleParams;
      const m = llm as AsgScheduleParams;
      if (p.remove) return p;
      const stated = f.schedule.mentioned || f.timezone !== undefined;
      const schedule = stated || !m.schedule || !isTimeZone(m.schedule.timezone) ? p.schedule : m.schedule;
      return schedule ? { asgName: p.asgName, schedule } : p;
    }
    case 'proxmox-k3s':
      return mergeProxmox(draft.params as ProxmoxK3sParams, llm as ProxmoxK3sParams, f, notes, keep);
    case 'dns-record': {
      const p = draft.params as DnsRecordParams;
      const m = llm as DnsRecordParams;
      // The record, its action and its TTL are the parser's reading of the goal.
      if (m.ttl !== p.ttl) notes.push(`Kept TTL ${p.ttl}; the model's ${m.ttl} is not a TTL the goal states.`);
      return p;
    }
  }
}

type Keep = <T>(label: string, stated: boolean, parser: T, model: T) => T;

function mergeAws(
  p: AwsSpotOllamaParams,
  m: AwsSpotOllamaParams,
  f: GoalFacts,
  notes: string[],
  keep: Keep,
): AwsSpotOllamaParams {
  const c = f.counts;
  const written = writtenNetworks(f);
  // Sizes go together: any stated size means the parser's consistent set of all four.
  const sizesStated =
    [c.desired, f.compute.countWithType, c.min, c.max, c.onDemand].some((v) => v !== undefined) ||
    c.onDemandAll === true ||
    // Relative sizes ("add 2 instances", "double it", "half on-demand") are the parser's reading too.
    [c.instancesDelta, c.workers, c.scaleFrom, c.instancesFactor, c.onDemandShare].some((v) => v !== undefined);
  const modelSizesFit = m.minSize <= m.desiredCapacity && m.desiredCapacity <= m.maxSize && m.onDemandBase <= m.maxSize;
  const pick = (x: AwsSpotOllamaParams) => ({
    minSize: x.minSize,
    maxSize: x.maxSize,
    desiredCapacity: x.desiredCapacity,
    onDemandBase: x.onDemandBase,
  });
  const sizes = keep('sizes', sizesStated || !modelSizesFit, pick(p), pick(m));

  let vpcCidr = f.network.vpcCidr ? p.vpcCidr : (sameNetwork(m.vpcCidr, [p.vpcCidr, ...written]) ?? p.vpcCidr);
  const modelSubnets = m.privateSubnetCidrs.map((s) => sameNetwork(s, [...p.privateSubnetCidrs, ...written]));
  let privateSubnetCidrs =
    f.network.subnetCidrs.length > 0
      ? p.privateSubnetCidrs
      : modelSubnets.every((s) => s !== undefined)
        ? (modelSubnets as string[])
        : vpcCidr === p.vpcCidr
          ? p.privateSubnetCidrs
          : defaultSubnets(vpcCidr);
  if (!privateSubnetCidrs.every((s) => cidrInside(s, vpcCidr))) {
    vpcCidr = p.vpcCidr;
    privateSubnetCidrs = p.privateSubnetCidrs;
  }

  // Allowed CIDRs the goal states are the parser's list; otherwise the model's, each one a
  // network the goal (or the stack's current list) names.
  const allowedStated = f.network.allowedCidrs.length + f.network.removedCidrs.length > 0 || f.network.worldOpenWords;
  const grounded = m.allowedCidrs.map((cidr) => ({
    cidr,
    as: sameNetwork(cidr, allowedStated ? p.allowedCidrs : [...written, ...p.allowedCidrs]),
  }));
  const dropped = grounded.filter((g) => g.as === undefined).map((g) => g.cidr);
  if (dropped.length)
    notes.push(`Dropped allowed CIDR(s) ${dropped.join(', ')} from the model's reply: the goal does not name them.`);
  const kept = [...new Set(grounded.flatMap((g) => (g.as ? [g.as] : [])))];
  const allowedCidrs = allowedStated || kept.length === 0 ? p.allowedCidrs : kept;

  if (m.ollamaPort !== p.ollamaPort)
    notes.push(`Kept port ${p.ollamaPort}; the model's ${m.ollamaPort} is not a port the goal states.`);
  const scheduleStated = f.schedule.mentioned || f.schedule.remove || f.timezone !== undefined;
  const modelSchedule = m.schedule && isTimeZone(m.schedule.timezone) ? m.schedule : p.schedule;
  const out: AwsSpotOllamaParams = {
    instanceTypes: keep(
      'instance types',
      f.compute.instanceTypes.length + f.compute.removedTypes.length > 0,
      p.instanceTypes,
      m.instanceTypes,
    ),
    ...sizes,
    vpcCidr,
    privateSubnetCidrs,
    ollamaPort: p.ollamaPort,
    allowedCidrs,
    volumeGb: keep('volume size (GB)', f.compute.volumeGb !== undefined, p.volumeGb, m.volumeGb),
  };
  const model = keep('model', f.compute.model !== undefined, p.model, m.model);
  if (model !== undefined) out.model = model;
  const schedule = keep('schedule', scheduleStated, p.schedule, modelSchedule);
  if (schedule !== undefined) out.schedule = schedule;
  return out;
}

function mergeProxmox(
  p: ProxmoxK3sParams,
  m: ProxmoxK3sParams,
  f: GoalFacts,
  notes: string[],
  keep: Keep,
): ProxmoxK3sParams {
  const c = f.counts;
  const countsStated =
    [c.servers, c.serversDelta, c.workers, c.workersDelta, c.gpuWorkers, c.gpuWorkersDelta].some(
      (v) => v !== undefined,
    ) || c.singleNode === true;
  const counts = keep(
    'node counts',
    countsStated,
    { servers: p.servers, workers: p.workers, gpuWorkers: p.gpuWorkers },
    { servers: m.servers, workers: m.workers, gpuWorkers: m.gpuWorkers },
  );
  const placed = readPlacement(f);
  // Unstated names may still come from the model when the goal has them as whole words.
  const name = (k: 'node' | 'vmTemplate' | 'network'): string => {
    if (placed[k] !== undefined) return keep(k, true, p[k], m[k]);
    if (m[k] === p[k] || namedInGoal(m[k], f)) return m[k];
    notes.push(`Kept ${k} ${p[k]}; the model's "${m[k]}" is not named in the goal.`);
    return p[k];
  };
  const out: ProxmoxK3sParams = {
    ...counts,
    vmTemplate: name('vmTemplate'),
    node: name('node'),
    cores: keep('cores', f.compute.cores !== undefined, p.cores, m.cores),
    memoryMb: keep('memory (MB)', f.compute.memoryMb !== undefined, p.memoryMb, m.memoryMb),
    diskGb: keep('disk (GB)', f.compute.volumeGb !== undefined, p.diskGb, m.diskGb),
    network: name('network'),
  };
  return out.gpuWorkers > out.workers ? p : out;
}
