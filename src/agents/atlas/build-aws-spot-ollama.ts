import type { AwsSpotOllamaParams, Schedule } from '../../../contracts/index.js';
import type { AtlasDefaults } from './atlas-types.js';
import { FIXED } from './default-atlas-defaults.js';
import type { GoalFacts } from './extract-facts.js';
import type { OnDemandShare } from './extract-size-share.js';
import { cidrInside, defaultSubnets } from './extract-network.js';
import { buildSchedule } from './build-schedule.js';
import { fewestGpus, instancesForGpus } from './gpus-per-instance.js';
import { readGroupSize } from './read-group-size.js';
import { changeList } from './change-list.js';
import { refuse, type Refusal } from '../../errors.js';

/** Params built from the goal's facts, or why the goal's values cannot be used. */
export type Built<P> = { ok: true; params: P } | Refusal<'bad-input'>;

const WORLD = '0.0.0.0/0';

function baseParams(d: AtlasDefaults): AwsSpotOllamaParams {
  const vpcCidr = d.vpcCidr;
  return {
    instanceTypes: [...d.instanceTypes],
    minSize: 0,
    maxSize: 1,
    desiredCapacity: 1,
    onDemandBase: 0,
    vpcCidr,
    privateSubnetCidrs: defaultSubnets(vpcCidr),
    ollamaPort: FIXED.ollamaPort,
    allowedCidrs: [vpcCidr],
    volumeGb: FIXED.volumeGb,
  };
}

type Counts = Pick<GoalFacts['counts'], 'desired' | 'min' | 'max'>;

/**
 * "3 spot GPUs", "2-8 GPUs": the instance counts that hold them on `instanceTypes` (rounded up;
 * the type with the fewest GPUs decides), with a note when an instance has more than one. A count
 * of instances said as well must hold the GPUs asked.
 */
function countsFromGpus(
  f: GoalFacts,
  c: Counts & Pick<GoalFacts['counts'], 'gpus'>,
  instanceTypes: readonly string[],
  notes: string[],
): Built<Counts> {
  const { gpus: g, ...counts } = c;
  if (!g) return { ok: true, params: counts };
  const said = c.desired ?? f.compute.countWithType;
  const out: Counts = { ...counts };
  const shown: string[] = [];
  for (const key of ['desired', 'min', 'max'] as const) {
    const gpus = g[key];
    if (gpus === undefined) continue;
    const r = instancesForGpus(gpus, instanceTypes);
    if (!r.ok) return r;
    if (key === 'desired' && said !== undefined) {
      if (said * r.perInstance < gpus)
        return refuse(
          'bad-input',
          `${said} instance(s) of ${instanceTypes.join('/')} have ${said * r.perInstance} GPU(s), fewer than the ${gpus} asked: say the instances or the GPUs, not both`,
        );
      continue;
    }
    if (out[key] === undefined) out[key] = r.instances;
    if (r.perInstance > 1 || r.instances * r.perInstance !== gpus)
      shown.push(`${gpus} GPU(s) → ${r.instances} instance(s) of ${r.perInstance} GPU(s) each`);
  }
  if (shown.length > 0) notes.push(`Counted in instances of ${instanceTypes.join('/')}: ${shown.join('; ')}.`);
  return { ok: true, params: out };
}

/** Sizes: stated values win; unstated ones follow (new stack: min 0, desired 1, max = max(desired, 1)). */
function sizes(
  f: GoalFacts,
  c: Counts & Pick<GoalFacts['counts'], 'onDemand' | 'onDemandAll' | 'onDemandShare'>,
  base: AwsSpotOllamaParams,
  isChange: boolean,
  notes: string[],
): Built<Pick<AwsSpotOllamaParams, 'minSize' | 'maxSize' | 'desiredCapacity' | 'onDemandBase'>> {
  const desired = c.desired ?? f.compute.countWithType;
  for (const [label, v] of [
    ['desiredCapacity', desired],
    ['minSize', c.min],
    ['maxSize', c.max],
    ['onDemandBase', c.onDemand],
  ] as const) {
    if (v !== undefined && (v < 0 || v > 100 || !Number.isInteger(v)))
      return refuse('bad-input', `${label} ${v} is out of range (0-100)`);
  }
  if (c.max === 0)
    return refuse(
      'bad-input',
      'maxSize must be at least 1; to stop all instances say "scale to zero" (desiredCapacity 0)',
    );
  if (c.min !== undefined && c.max !== undefined && c.min > c.max)
    return refuse('bad-input', `minSize ${c.min} is greater than maxSize ${c.max}`);
  if (desired !== undefined && c.max !== undefined && desired > c.max)
    return refuse('bad-input', `desiredCapacity ${desired} is greater than maxSize ${c.max}`);
  if (desired !== undefined && c.min !== undefined && desired < c.min)
    return refuse('bad-input', `desiredCapacity ${desired} is less than minSize ${c.min}`);
  const minSize = c.min ?? (isChange ? Math.min(base.minSize, desired ?? base.minSize) : 0);
  const desiredCapacity =
    desired ?? Math.min(Math.max(isChange ? base.desiredCapacity : 1, minSize), c.max ?? Number.POSITIVE_INFINITY);
  const maxSize = c.max ?? Math.max(isChange ? base.maxSize : 1, desiredCapacity, minSize, 1);
  let onDemandBase = c.onDemandAll ? maxSize : (c.onDemand ?? Math.min(base.onDemandBase, maxSize));
  if (c.onDemandShare) {
    if (c.onDemand !== undefined || c.onDemandAll)
      return refuse(
        'bad-input',
        `the goal says both ${c.onDemandAll ? 'all' : c.onDemand} on-demand and "${c.onDemandShare.said}": say one of them`,
      );
    const share = onDemandOf(c.onDemandShare, desiredCapacity, notes);
    if (!share.ok) return share;
    onDemandBase = share.count;
  }
  if (onDemandBase > maxSize)
    return refuse('bad-input', `onDemandBase ${onDemandBase} is greater than maxSize ${maxSize}`);
  return { ok: true, params: { minSize, maxSize, desiredCapacity, onDemandBase } };
}

/** "half on-demand", "25% on-demand": that share of the instances the group runs, as its on-demand base. */
function onDemandOf(
  s: OnDemandShare,
  desired: number,
  notes: string[],
): { ok: true; count: number } | Refusal<'bad-input'> {
  if (s.share > 1)
    return refuse(
      'bad-input',
      `${s.label} on-demand is more than the group: say a share up to 100% or "all on-demand"`,
    );
  if (desired === 0)
    return refuse('bad-input', 'the group runs no instances: say how many run on demand, e.g. "1 on-demand"');
  const count = desired * s.share;
  if (!Number.isInteger(count))
    return refuse(
      'bad-input',
      `${s.label} of the ${desired} instance(s) is not a whole number: say how many run on demand, e.g. "${Math.max(1, Math.floor(count))} on-demand"`,
    );
  notes.push(
    `Read "${s.said}" as ${count} of the ${desired} instance(s) on demand: an on-demand base of ${count}, which stays ${count} if the group is scaled later.`,
  );
  return { ok: true, count };
}

/** Network: the goal's CIDRs exactly as asked (Sentinel judges them); otherwise the VPC CIDR. */
function network(
  f: GoalFacts,
  base: AwsSpotOllamaParams,
  isChange: boolean,
  notes: string[],
): Built<Pick<AwsSpotOllamaParams, 'vpcCidr' | 'privateSubnetCidrs' | 'allowedCidrs' | 'ollamaPort'>> {
  const n = f.network;
  const vpcCidr = n.vpcCidr ?? base.vpcCidr;
  const vpcMoved = vpcCidr !== base.vpcCidr;
  const privateSubnetCidrs =
    n.subnetCidrs.length > 0 ? n.subnetCidrs : vpcMoved ? defaultSubnets(vpcCidr) : base.privateSubnetCidrs;
  const outside = privateSubnetCidrs.find((s) => !cidrInside(s, vpcCidr));
  if (outside) return refuse('bad-input', `subnet ${outside} is not inside the VPC ${vpcCidr}`);
  const stated = [...n.allowedCidrs];
  if (n.worldOpenWords && !stated.includes(WORLD)) stated.push(WORLD);
  const followsVpc = vpcMoved && base.allowedCidrs.length === 1 && base.allowedCidrs[0] === base.vpcCidr;
  const allowed = changeList(
    {
      what: 'allowed networks',
      current: followsVpc && n.removedCidrs.length === 0 ? [vpcCidr] : base.allowedCidrs,
      removed: n.removedCidrs,
      stated,
      isChange,
      // "allow 10.9.0.0/16 on x" grants it beside what x allows; "only allow" replaces them.
      additive: (f.additive || f.granting) && !f.replacing,
    },
    notes,
  );
  if (!allowed.ok) return allowed;
  const allowedCidrs = allowed.list;
  if (allowedCidrs.length > 20) return refuse('bad-input', `at most 20 allowed CIDRs (got ${allowedCidrs.length})`);
  if (allowedCidrs.some((c) => Number(c.split('/')[1]) < 8)) {
    notes.push(
      `allowedCidrs keep ${allowedCidrs.filter((c) => Number(c.split('/')[1]) < 8).join(', ')} exactly as asked; Sentinel fails a port open that widely, so this plan will not pass validation as it stands.`,
    );
  }
  // SSH/RDP ports are refused (see rationale), never turned into the Ollama port.
  const askedPort =
    n.port !== undefined && n.port !== 22 && n.port !== 3389 && !/\b(?:ssh|rdp)\b/.test(f.lower) ? n.port : undefined;
  return { ok: true, params: { vpcCidr, privateSubnetCidrs, allowedCidrs, ollamaPort: askedPort ?? base.ollamaPort } };
}

/**
 * What a change of the group's instances does once applied (the module's instance refresh,
 * terraform/modules/aws-spot-ollama), and the GPUs the group then runs when a type change moves them.
 */
function noteReplacement(base: AwsSpotOllamaParams, p: AwsSpotOllamaParams, notes: string[]): void {
  const typesChanged = p.instanceTypes.join(',') !== base.instanceTypes.join(',');
  const changed = [
    ...(typesChanged ? [`types ${p.instanceTypes.join('/')}`] : []),
    ...(p.model && p.model !== base.model ? [`model ${p.model}`] : []),
    ...(p.volumeGb !== base.volumeGb ? [`${p.volumeGb} GB volumes`] : []),
  ];
  const [before, after] = [fewestGpus(base.instanceTypes), fewestGpus(p.instanceTypes)];
  if (typesChanged && before !== undefined && after !== undefined) {
    const [was, now] = [before * base.desiredCapacity, after * p.desiredCapacity];
    if (was !== now) notes.push(`GPUs running: ${was} → ${now} (at the group's desired capacity).`);
  }
  if (changed.length > 0)
    notes.push(
      `Replaces the running instances one by one to run the new ${changed.join(', ')}: each replacement is launched before the old instance stops (an instance refresh, started by the apply).`,
    );
}

export function buildAwsSpotOllama(
  f: GoalFacts,
  d: AtlasDefaults,
  current: AwsSpotOllamaParams | undefined,
  notes: string[],
): Built<AwsSpotOllamaParams> {
  const base = current ?? baseParams(d);
  const isChange = current !== undefined;
  const types = changeList(
    {
      what: 'instance types',
      current: base.instanceTypes,
      removed: f.compute.removedTypes,
      stated: f.compute.instanceTypes,
      isChange,
      additive: f.additive && !f.replacing,
    },
    notes,
  );
  if (!types.ok) return types;
  const instanceTypes = types.list;
  const group = readGroupSize(f, base, isChange, notes);
  if (!group.ok) return group;
  const counts = countsFromGpus(
    f,
    { ...group.counts, ...(f.counts.gpus ? { gpus: f.counts.gpus } : {}) },
    instanceTypes,
    notes,
  );
  if (!counts.ok) return counts;
  const sized = sizes(f, { ...f.counts, ...counts.params }, base, isChange, notes);
  if (!sized.ok) return sized;
  const net = network(f, base, isChange, notes);
  if (!net.ok) return net;
  const volumeGb = f.compute.volumeGb ?? base.volumeGb;
  if (volumeGb < 8 || volumeGb > 16384)
    return refuse('bad-input', `volume ${volumeGb} GB is out of range (8-16384 GB)`);
  let schedule: Schedule | undefined = base.schedule;
  if (f.schedule.remove) {
    if (!schedule)
      notes.push(
        f.schedule.negated
          ? 'No stop/start schedule: the goal asks to keep it running.'
          : 'There is no schedule to drop; none is set.',
      );
    schedule = undefined;
  } else if (f.schedule.mentioned || (f.timezone && schedule)) {
    const built = buildSchedule(f, d, schedule, notes);
    if (!built.ok) return built;
    schedule = built.params;
  }
  const params: AwsSpotOllamaParams = { instanceTypes, ...sized.params, ...net.params, volumeGb };
  if (isChange && params.desiredCapacity !== base.desiredCapacity) {
    // What "scale to N" does once approved (Forge sets desired capacity; see terraform-change-runner).
    notes.push(
      `Scales the group from ${base.desiredCapacity} to ${params.desiredCapacity} instance(s): the approved plan sets its desired capacity${schedule ? `; if the weekend schedule has it stopped when the plan is made, the plan leaves it stopped and the scheduled start brings it to ${params.desiredCapacity}` : ''}.`,
    );
  }
  const model = f.compute.model ?? base.model;
  if (model) params.model = model;
  if (isChange) noteReplacement(base, params, notes);
  if (schedule) params.schedule = schedule;
  return { ok: true, params };
}
