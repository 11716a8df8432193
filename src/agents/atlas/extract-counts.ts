import type { GoalScan } from './goal-scan.js';
import { NUM, NUM_A, readNumber } from './read-number.js';
import { matchesOf, regex } from '../../util/regexps.js';
import { readOnDemandAndShares, type OnDemandShare, type SizeFactor } from './extract-size-share.js';
import { readNodeDeltas, SERVER_NOUN, type NodeDeltas } from './read-node-deltas.js';

export interface CountFacts extends NodeDeltas {
  desired?: number;
  min?: number;
  max?: number;
  onDemand?: number;
  onDemandAll?: boolean;
  servers?: number;
  workers?: number;
  gpuWorkers?: number;
  singleNode?: boolean;
  /** "3 spot GPUs", "with 8 GPUs", "2-8 GPUs": GPUs asked for, not instances (the AWS builder counts them in instances). */
  gpus?: GpuCount;
  /** "add 2 instances", "2 more nodes", "remove an instance": relative to the current size (a k3s cluster's workers). */
  instancesDelta?: number;
  /** "stop x", "shut down x for now" said alone: desired 0 (an Ollama group's stop). */
  stop?: boolean;
  /** "scale from 2 to 4 instances": a change from one size to another (a range on a new stack). */
  scaleFrom?: { from: number; to: number };
  /** "double x", "halve x": a multiple of the size the group runs. */
  instancesFactor?: SizeFactor;
  /** "half on-demand", "25% on-demand": a share of the group's instances on demand. */
  onDemandShare?: OnDemandShare;
}

export interface GpuCount {
  desired?: number;
  min?: number;
  max?: number;
  /** Where the count and its GPU word are written. */
  at: number;
  end: number;
}

/**
 * What follows a count of GPUs: "spot GPUs", "NVIDIA GPUs", "GPU" (captured, so the reading spans
 * it); not GPUs per something or GPU workers (the k3s shapes).
 */
const GPU_TAIL =
  '(?=(\\s*(?:spot\\s+)?(?:nvidia\\s+)?gpus?\\b)(?!\\s*(?:per|each|workers?|agents?|nodes?|vms?|passthrough|passed|cards?)\\b))';

/**
 * A count or range of GPUs on an AWS goal, when no workers are counted (then GPUs are the k3s
 * GPU workers). Only the numbers are blanked: "spot GPUs" is left for the blueprint reader.
 */
function takeGpuCount(scan: GoalScan): GpuCount | undefined {
  const range = scan.takeFirst(
    regex(`\\b(?:between\\s+${NUM}\\s+and|(?:from\\s+)?${NUM}\\s*(?:-|–|to))\\s*${NUM}${GPU_TAIL}`, 'g'),
  );
  if (range?.[3] !== undefined) {
    const end = range.index + range[0].length + (range[4] ?? '').length;
    return { min: n(range, 1) ?? n(range, 2), max: n(range, 3), at: range.index, end };
  }
  const count = scan.takeFirst(regex(`(?<![\\w.-])${NUM}(?:\\s*[x×])?${GPU_TAIL}`, 'g'));
  if (count?.[1] === undefined) return undefined;
  return { desired: n(count), at: count.index, end: count.index + count[0].length + (count[2] ?? '').length };
}

const n = (m: RegExpExecArray | undefined, group = 1): number | undefined =>
  m?.[group] === undefined ? undefined : readNumber(m[group]);

const AWS_NOUN =
  '(?:(?:(?:spot|gpu|ollama|inference|worker)\\s+)?(?:instances?|nodes?|machines?|box(?:es)?|vms?|replicas?|copies|hosts?)\\b|(?:spot|ollama|inference)\\s+workers?\\b)';

/** "3 cp nodes", "3 server vms", "3x masters": the count, an optional "x", a role word. */
const TIMES = '(?:\\s*[x×])?';

/**
 * A count after its noun: "servers: 3", "workers=4", "servers 3, agents 5" (a ticket's key and
 * value), "control plane: 3". A size unit after the number makes it no count.
 */
const KEYED = '(?:[ \\t]*(?:=|:|to)[ \\t]*|[ \\t]+)';
const NO_UNIT = '(?![.\\d]|\\s*(?:gb|gib|mb|mib|tb|g\\b|cores?|vcpus?|cpus?|%))';

/** A GPU by that word or by a card's model passed through ("the A4000 passed through", "an RTX 4090 GPU"). */
const GPU_CARD =
  '(?:gpus?(?:\\s+passthrough)?\\b|(?:nvidia\\s+)?(?:rtx\\s*)?[a-z]{0,3}\\d{3,4}(?:\\s*ti)?\\s+(?:gpus?\\s*)?(?:passed\\s+through|passthrough|gpus?)\\b)';

/** A qualifier saying the workers have no GPU: they add to the GPU workers. */
const CPU_ONLY = '(?:cpu(?:[- ]only)?|non[- ]gpu|plain|regular)';
/** "with", or the chat shorthand "w/" ("3 workers each w/ a GPU"). */
const WITH = '(?:with|w/)';
/** "of them", "of the agents": which workers a share or a count is of. */
const OF_WORKERS = '(?:them|which|these|those|the\\s+(?:workers|agents|worker\\s+nodes|nodes))';
/**
 * Every worker has a GPU: "two workers with a GPU each", "each w/ a GPU", "all three with GPUs",
 * "both of them have GPUs", "GPUs on all workers". Group 1: a count said with "all" ("all 3").
 */
const GPU_EACH = regex(
  [
    `(?:each\\s+)?${WITH}\\s+(?:an?|one)\\s+gpu\\s+each`,
    `each\\s+${WITH}\\s+(?:an?|one|1|its\\s+own)(?:\\s+of\\s+(?:those|these|the|them|our))?\\s+(?:(?:nvidia|spare)\\s+)?(?:gpus?|cards?)`,
    `(?:all|both|every\\s+one|each)(?:\\s+(\\d+))?\\s+(?:of\\s+${OF_WORKERS}\\s+|(?:of\\s+)?(?:the\\s+)?(?:workers|agents|worker\\s+(?:nodes|vms)|nodes|vms)\\s+)?(?:${WITH}|having|has|have|gets?)\\s+(?:an?\\s+|its\\s+own\\s+|their\\s+own\\s+)?(?:nvidia\\s+)?gpus?`,
    `(?:every|each)\\s+(?:single\\s+)?(?:worker|agent)(?:\\s+(?:node|vm))?\\s+(?:gets|has|${WITH}|having|carries)\\s+(?:an?\\s+|its\\s+own\\s+)?gpus?`,
    `all\\s+(?:the\\s+|of\\s+the\\s+)?(?:workers|agents)(?:\\s+(?:nodes|vms))?\\s+(?:${WITH}|having|have|get)\\s+(?:an?\\s+)?gpus?`,
    `gpus?\\s+(?:on|for|in)\\s+(?:all|every|each)\\s+(?:of\\s+)?(?:the\\s+|them\\b)?(?:workers?|agents?)?`,
  ]
    .map((alt) => `\\b${alt}`)
    .join('|'),
  'g',
);
/** "half of them with GPUs", "half the workers get a GPU": a share of the workers. */
const GPU_HALF =
  /\bhalf\s+(?:of\s+)?(?:them|the\s+(?:workers|agents|worker\s+nodes))\s+(?:with|having|have|get|gets|carry|use)\s+(?:an?\s+)?gpus?\b/g;

/** Reads counts last, after every other value is blanked, so "10.0.0.0/8" or "$300" never count. */
export function extractCounts(scan: GoalScan): CountFacts {
  const f: CountFacts = {};
  // Proxmox k3s shapes first: "3 servers and 2 workers, one with a GPU".
  // "a single-node control plane" is one server beside workers; "single-node k3s" is one VM in all.
  if (scan.takeFirst(/\b(?:a\s+)?single[- ]node\s+(?:k3s\s+)?(?:control[- ]?planes?|servers?|masters?|cps?)\b/g))
    f.servers = 1;
  else if (scan.takeFirst(/\bsingle[- ]node\b/g)) f.singleNode = true;
  // "we got two A4000s installed", "and one spare GPU": the hardware on hand, said as context; the
  // GPU workers are what the request asks for ("one of the nodes getting the GPU").
  scan.take(
    regex(
      `\\b${NUM_A}\\s+(?:(?:spare|free|available|extra|idle|unused)\\s+)?(?:nvidia\\s+)?(?:(?:rtx\\s*)?[a-z]{1,3}\\d{3,4}s|(?:spare|free|available|extra|idle|unused)\\s+(?:gpus?|cards?))\\b|(?=\\w)(?<=\\b(?:and|with|has|have|got)\\s+)${NUM_A}\\s+(?:spare|free|available|extra|idle|unused)\\s+(?:gpus?|cards?)\\b`,
      'g',
    ),
  );
  // "k3s proxmox 3/2", "k3s 3/5 on pve": servers/workers, the way k3s people write a cluster's shape.
  const shape = scan.takeFirst(
    /(?=[1-9])(?<=\bk3s\b(?:\s+(?:on\s+)?(?:proxmox|pve))?\s+)([1-9])\s*[/+]\s*(\d{1,2})\b(?![\w./:])/g,
  );
  if (shape) {
    f.servers = n(shape, 1);
    f.workers = n(shape, 2);
  }
  // "2 cpu workers plus 2 gpu workers": a "plus" between two counted roles joins them, it adds to no stack.
  for (const m of matchesOf(
    regex(`\\b(?:workers?|agents?|nodes?|${SERVER_NOUN})\\s*,?\\s+(plus)\\s+(?=${NUM_A}\\s)`, 'g'),
    scan.rest,
  ))
    scan.rewrite(m.index + m[0].lastIndexOf('plus'), 4, 'and');
  // "scale it from 2 to 4 instances", "from 3 to 5 workers": a change of size, which the builder
  // checks against the current one (a range of a new group, as "2 to 4 instances" is).
  const fromTo = scan.takeFirst(
    regex(`\\bfrom\\s+${NUM}\\s+to\\s+${NUM}\\s+(?:${AWS_NOUN}|(?:workers?|agents?)\\b)`, 'g'),
  );
  const [from, to] = fromTo ? [n(fromTo, 1), n(fromTo, 2)] : [];
  if (from !== undefined && to !== undefined) f.scaleFrom = { from, to };
  readNodeDeltas(scan, f);
  // "scale it up by 2", "increase x by 1 instance", "shrink it by one node": relative, as "add" is
  // (read as a size, "increase x by 1 instance" scaled a group of 2 down to 1).
  const by = scan.takeFirst(
    regex(
      `\\b(scale|grow|increase|bump|raise|expand|shrink|reduce|decrease|lower|cut|trim)\\b(?:\\s+(?:it|them|the\\s+(?:group|asg|stack|fleet|cluster|count|size)))?\\s+(?:(up|down|out|in)\\s+)?by\\s+${NUM_A}(?:\\s+(?:${AWS_NOUN}|(?:workers?|agents?)\\b))?(?![.\\d]|\\s*(?:%|(?:percent|gb|gib|tb|cores?|vcpus?|cpus?|dollars?|usd)\\b))`,
      'g',
    ),
  );
  if (by) {
    const down = /^(?:shrink|reduce|decrease|lower|cut|trim)$/.test(by[1] ?? '') || /^(?:down|in)$/.test(by[2] ?? '');
    f.instancesDelta = (down ? -1 : 1) * (n(by, 3) ?? 1);
  }
  // "add 2 instances", "2 more nodes", "another instance", "remove an instance", "one fewer node":
  // relative to the current size (read as a size, "add an instance" to 2 would scale to 1).
  const addInstances = scan.takeFirst(
    regex(
      `\\b(?:add|plus)\\s+${NUM_A}\\s+(?:(?:more|extra|additional)\\s+)?${AWS_NOUN}|\\b${NUM_A}\\s+(?:more|extra|additional)\\s+${AWS_NOUN}|\\b(another|one\\s+more|an\\s+(?:extra|additional))\\s+${AWS_NOUN}`,
      'g',
    ),
  );
  if (addInstances && f.instancesDelta === undefined)
    f.instancesDelta = addInstances[3] ? 1 : (n(addInstances, 1) ?? n(addInstances, 2) ?? 1);
  const dropInstances = scan.takeFirst(
    regex(
      `\\b(?:remove|drop|delete|terminate|take\\s+(?:away|out))\\s+${NUM_A}\\s+(?:of\\s+the\\s+)?${AWS_NOUN}|\\b${NUM_A}\\s+(?:fewer|less)\\s+${AWS_NOUN}`,
      'g',
    ),
  );
  if (dropInstances && f.instancesDelta === undefined)
    f.instancesDelta = -(n(dropInstances, 1) ?? n(dropInstances, 2) ?? 1);
  const servers = scan.takeFirst(
    regex(
      `\\b${NUM_A}${TIMES}(?:[ \\t]+|-)(?:k3s\\s+)?(?:control[- ]plane\\s+|server\\s+|master\\s+)?${SERVER_NOUN}(?:[ \\t]{1,2}(?:nodes?|vms?))?\\b|\\b${SERVER_NOUN}(?:[ \\t]+(?:nodes?|vms?))?${KEYED}${NUM}\\b${NO_UNIT}|\\b${NUM}[- ]node\\s+(?:k3s\\s+)?${SERVER_NOUN}\\b`,
      'g',
    ),
  );
  // "a three-node control plane": three servers.
  if (servers) f.servers = n(servers, 1) ?? n(servers, 2) ?? n(servers, 3);
  // "workers: 2 with GPU, 4 without", "4 without a GPU and 2 with": both parts are workers.
  const split = scan.takeFirst(
    regex(
      `(?:\\b(?:workers?|agents?)\\s*[:=]?\\s*)?\\b${NUM}\\s+(with(?:out)?)\\s+(?:an?\\s+)?gpus?[,;]?\\s*(?:and\\s+|\\+\\s*|plus\\s+)?${NUM}\\s+(with(?:out)?)\\b(?:\\s+(?:an?\\s+)?gpus?\\b)?`,
      'g',
    ),
  );
  if (split && split[2] !== split[4]) {
    const [a, b] = [n(split, 1) ?? 0, n(split, 3) ?? 0];
    f.workers = a + b;
    f.gpuWorkers = split[2] === 'with' ? a : b;
  }
  const gpuWorkers = scan.takeFirst(
    regex(
      `\\b${NUM_A}[ \\t]+gpu(?:[- ]passthrough)?\\s+(?:workers?|agents?|nodes?)\\b|\\bgpu[_ -]?(?:workers?|agents?|nodes?)${KEYED}${NUM}\\b${NO_UNIT}`,
      'g',
    ),
  );
  if (gpuWorkers) f.gpuWorkers = n(gpuWorkers) ?? n(gpuWorkers, 2);
  const workers = scan.takeFirst(
    regex(
      `\\b${NUM_A}${TIMES}(?:[ \\t]+|-)(?:k3s\\s+)?(?:(?:dedicated|separate|extra|additional|standalone|more)[ \\t]+)?(${CPU_ONLY}[ \\t]+)?(?:workers?|agents?)(?:[ \\t]{1,2}(?:nodes?|vms?))?\\b|(?:\\b(${CPU_ONLY})[ \\t]+|\\b)(?:workers?|agents?)(?:[ \\t]+(?:nodes?|vms?))?${KEYED}${NUM}\\b${NO_UNIT}`,
      'g',
    ),
  );
  if (workers) f.workers = n(workers, 1) ?? n(workers, 4);
  // "one gpu worker and two cpu workers", "CPU-only workers: 4": the worker count includes the GPU workers.
  if ((workers?.[2] ?? workers?.[3]) && f.workers !== undefined && f.gpuWorkers !== undefined)
    f.workers += f.gpuWorkers;
  // "two workers with a GPU each", "all of them with GPUs": every worker has one.
  const each = f.workers !== undefined && f.gpuWorkers === undefined ? scan.takeFirst(GPU_EACH) : undefined;
  if (each && f.workers !== undefined) {
    const said = n(each);
    if (said === undefined || said === f.workers) f.gpuWorkers = f.workers;
    else
      scan.ask(
        `"${scan.rawAt(each.index, each[0].length)}" does not match the ${f.workers} workers: how many workers get a GPU?`,
      );
  }
  const half = f.workers !== undefined && f.gpuWorkers === undefined ? scan.takeFirst(GPU_HALF) : undefined;
  if (half && f.workers !== undefined) {
    if (f.workers % 2 === 0) f.gpuWorkers = f.workers / 2;
    else
      scan.fail(
        `"${scan.rawAt(half.index, half[0].length)}" of ${f.workers} workers is no whole number: say how many workers get a GPU`,
      );
  }
  const withGpu = scan.takeFirst(
    regex(
      `\\b(?:of\\s+(?:which|them|these|those)\\s+)?${NUM_A}\\s+(?:of\\s+${OF_WORKERS}\\s+)?(?:${WITH}|having|has|have|get|gets|getting|carry|carries|carrying|use|uses|using)\\s+(?:an?\\s+|the\\s+)?${GPU_CARD}` +
        // "4 workers, 1 of them gpu", "2 of the agents are GPU nodes": the count of them, then the GPU.
        `|\\b${NUM_A}\\s+of\\s+${OF_WORKERS}\\s+(?:(?:is|are)\\s+)?(?:an?\\s+)?${GPU_CARD}(?:\\s+(?:nodes?|vms?|workers?|agents?)\\b)?` +
        `|\\bgpu(?:[- ]passthrough)?\\s+(?:on|for)\\s+${NUM_A}\\b`,
      'g',
    ),
  );
  if (withGpu && f.gpuWorkers === undefined) f.gpuWorkers = n(withGpu, 1) ?? n(withGpu, 2) ?? n(withGpu, 3);
  // "from them two should have GPU", "two of which should have the GPU passed through".
  const share =
    f.gpuWorkers === undefined
      ? scan.takeFirst(
          regex(
            `\\b(?:(?:from|of|among)\\s+(?:them|which|these|those)\\s+${NUM_A}|${NUM_A}\\s+(?:of|from|among)\\s+(?:them|which|these|those)(?:\\s+(?:workers|agents|nodes|vms))?)\\s+(?:(?:should|shall|will|would|must|need\\s+to|can)\\s+)?(?:have|has|get|gets|need|needs|use|carry)\\s+(?:an?\\s+|the\\s+)?(?:${GPU_CARD}|(?:nvidia\\s+|gpu\\s+)?cards?\\b)(?:\\s+passed\\s+through)?`,
            'g',
          ),
        )
      : undefined;
  if (share) f.gpuWorkers = n(share, 1) ?? n(share, 2);
  // "no GPU", "without GPUs", "none with a GPU": zero GPU workers, not a GPU keyword.
  const noGpu = scan.takeFirst(
    /(?:\b(?:no|without(?:\s+(?:a|any))?|zero|0)|\bw\/o(?:\s+(?:a|any))?|\bnone\s+(?:of\s+(?:them|which|these|those|the\s+workers)\s+)?(?:with|having|has|have|gets?|uses?|needs?|requires?|wants?)\s+(?:an?\s+)?)\s*gpus?(?:[- ]passthrough)?(?:\s+(?:workers?|agents?|nodes?))?\b/g,
  );
  if (noGpu && f.gpuWorkers === undefined) f.gpuWorkers = 0;
  // "1 server / 2 agents / 1 GPU": beside counted workers, a count of GPUs is the GPU workers.
  if (f.workers !== undefined && f.gpuWorkers === undefined) {
    const gpus = scan.takeFirst(
      regex(`(?<![\\w.-])${NUM}\\s+(?:nvidia\\s+)?gpus?\\b(?!\\s*(?:per|each|cards?\\s+(?:per|each)))`, 'g'),
    );
    if (gpus) f.gpuWorkers = n(gpus);
  }
  // AWS shapes.
  if (f.workers === undefined && f.gpuWorkers === undefined) {
    const gpus = takeGpuCount(scan);
    if (gpus) f.gpus = gpus;
  }
  Object.assign(f, readOnDemandAndShares(scan));
  // "Min/Max: 1/3", "min/desired/max = 1/2/4": a ticket's sizes in one field.
  const slashed = scan.takeFirst(
    regex(
      `\\bmin(?:imum)?\\s*\\/\\s*(?:(desired)\\s*\\/\\s*)?max(?:imum)?\\s*[:=]?\\s*${NUM}\\s*\\/\\s*${NUM}(?:\\s*\\/\\s*${NUM})?\\b`,
      'g',
    ),
  );
  if (slashed) {
    f.min = n(slashed, 2);
    if (slashed[1] && slashed[4] !== undefined) {
      f.desired = n(slashed, 3);
      f.max = n(slashed, 4);
    } else f.max = n(slashed, 3);
  }
  const range =
    scan.takeFirst(regex(`\\bbetween\\s+${NUM}\\s+and\\s+${NUM}\\b`, 'g')) ??
    // "scale 0-4", "autoscale 1 to 3", "autoscaling group 0–4": the group's range ("scale" is
    // left in place: it says the goal sizes the group).
    scan.takeFirst(
      regex(
        `(?=\\w)(?<=\\b(?:auto[- ]?)?scal(?:e|ing)(?:\\s+group)?\\s+)${NUM}\\s*(?:-|–|to)\\s*${NUM}\\b(?![.\\d%])(?!\\s*(?:workers?|agents?|servers?|masters?|gb|gib|tb)\\b)`,
        'g',
      ),
    ) ??
    scan.takeFirst(regex(`\\b(?:from\\s+)?${NUM}\\s*(?:-|–|to)\\s*${NUM}\\s+${AWS_NOUN}`, 'g')) ??
    scan.takeFirst(regex(`\\bfrom\\s+${NUM}\\s+to\\s+${NUM}\\b`, 'g'));
  if (range) {
    f.min = n(range, 1);
    f.max = n(range, 2);
  }
  const max = scan.takeFirst(
    regex(
      // "scale x up to 6" is a size (below), not a maximum.
      `\\b(?:(?<!\\b(?:scale|grow|bump|increase|raise)(?:\\s+(?:it|them|[\\w-]+))?\\s+)up to|at most|max(?:imum)?(?:\\s+size)?(?:\\s+of)?|maxsize|no more than|not more than|cap(?:ped)?\\s+at|limit(?:ed)?\\s+(?:of|to))\\s*(?:=|:|(?<=\\bmax(?:imum)?(?:\\s+size)?(?:\\s+of)?\\s*)(?:to|at|is)\\b)?\\s*${NUM}\\b`,
      'g',
    ),
  );
  if (max) f.max = n(max);
  const min = scan.takeFirst(
    regex(
      `\\b(?:at least|min(?:imum)?(?:\\s+size)?(?:\\s+of)?|minsize|no fewer than|never (?:fewer|less) than)\\s*(?:=|:|(?<=\\bmin(?:imum)?(?:\\s+size)?(?:\\s+of)?\\s*)(?:to|at|is)\\b)?\\s*${NUM}\\b`,
      'g',
    ),
  );
  if (min) f.min = n(min);
  const desired =
    scan.takeFirst(regex(`\\b(?:desired(?:\\s+capacity)?|capacity)\\s*(?:of|to|=|:|at)?\\s*${NUM}\\b`, 'g')) ??
    // "Count: 2", "instance_count=2": a ticket's count field.
    scan.takeFirst(regex(`\\b(?:(?:instance|node)[\\s_-]?)?count\\s*[:=]\\s*${NUM}\\b${NO_UNIT}`, 'g')) ??
    scan.takeFirst(
      regex(
        `\\b(?:scale|resize|set|bump|increase|grow|raise|reduce|decrease|lower|shrink|change)\\s+(?:(?:up|down|out|in|it|back|them|the\\s+(?:asg|group|stack|cluster|fleet|count))\\s+)*to\\s+${NUM}\\b(?!\\s*(?:gb|tb|workers?|servers?))`,
        'g',
      ),
    ) ??
    // Not the digits ending a name ("the hv-03 node", "pve.2 host").
    scan.takeFirst(regex(`(?<![\\w.-])${NUM_A}\\s+${AWS_NOUN}`, 'g')) ??
    // "g4dn.xlarge instances, two of them", "instances: just the one": the count after the noun.
    scan.takeFirst(
      regex(
        `(?=\\w)(?<=\\b${AWS_NOUN}[ ,:;(-]{1,3}(?:just\\s+|only\\s+)?)(?:${NUM_A}\\s+of\\s+them|the\\s+(1|one))\\b(?!\\s+(?:with|on|are|is|as|have|has|gets?)\\b)`,
        'g',
      ),
    );
  if (desired) f.desired = n(desired) ?? n(desired, 2);
  // "stop x", "shut down x for now", "turn off x" and nothing else (the goal as written, so not
  // "stop x on weekends"): scale to zero, what a stop does to a group; its size limits stay, and
  // "scale x to N" brings it back.
  else if (
    /^\s*(?:please\s+)?(?:stop|shut\s*down|turn\s+off|switch\s+off|power\s+off|pause)\s+(?:the\s+)?[\w.-]+(?:\s+(?:stack|group|asg))?(?:\s+(?:for\s+now|now|please))?\s*[.!]?\s*$/.test(
      scan.lower,
    ) &&
    scan.takeFirst(/\b(?:stop|shut\s*down|turn\s+off|switch\s+off|power\s+off|pause)\b/g)
  ) {
    f.desired = 0;
    f.stop = true;
  }
  return f;
}
