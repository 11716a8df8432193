import type { GoalScan } from './goal-scan.js';
import { NUM, readNumber } from './read-number.js';
import { DISK_UNIT, MEMORY_UNIT, RAM_UNIT, toGib, toMib } from './read-size.js';
import { matchesOf, regex } from '../../util/regexps.js';
import { isRemoved } from './read-removals.js';

export interface ComputeFacts {
  instanceTypes: string[];
  /** "remove g5.xlarge", "g6.xlarge instead of g4dn.xlarge": types the goal takes away from the stack's. */
  removedTypes: string[];
  /** "2x g5.xlarge": a count written next to the type. */
  countWithType?: number;
  /** "2 to 6 g4dn.xlarge", "between 1 and 4 g5.xlarge": a size range written before the type. */
  rangeWithType?: { min: number; max: number };
  model?: string;
  volumeGb?: number;
  memoryMb?: number;
  cores?: number;
  /** Where the VM sizes were written, so a blueprint without them can ask rather than drop them. */
  sized: Array<{ what: 'disk' | 'memory' | 'cores'; at: number; end: number }>;
}

// A bare family gets a size that fits one mid-size model on one GPU.
const FAMILY_SIZES: Record<string, string> = {
  g4dn: 'g4dn.xlarge',
  g4ad: 'g4ad.xlarge',
  g5: 'g5.xlarge',
  g5g: 'g5g.xlarge',
  g6: 'g6.xlarge',
  g6e: 'g6e.xlarge',
  gr6: 'gr6.4xlarge',
  p3: 'p3.2xlarge',
  p3dn: 'p3dn.24xlarge',
  p4d: 'p4d.24xlarge',
  p5: 'p5.48xlarge',
  inf2: 'inf2.xlarge',
  trn1: 'trn1.2xlarge',
};

const TYPE_RE =
  /\b([a-z][a-z0-9-]*\d[a-z0-9-]*)\.(nano|micro|small|medium|large|xlarge|\d{1,2}xlarge|metal(?:-\d+xl)?)\b/g;
const FAMILY_RE = regex(`\\b(${Object.keys(FAMILY_SIZES).join('|')})\\b(?![.\\w])(?:\\s+(?:family|instances?))?`, 'g');
const MODEL_RE = /(?<![\w.:/-])([a-z][a-z0-9._/-]*[a-z0-9]):([a-z0-9][a-z0-9._-]*[a-z0-9]|[a-z0-9])(?![\w:])/g;
const KNOWN_MODELS =
  'llama\\d(?:\\.\\d)?|llama2|codellama|qwen(?:\\d(?:\\.\\d)?)?(?:-coder)?|mistral(?:-nemo)?|mixtral|gemma\\d?|phi\\d(?:\\.\\d)?|deepseek-r1|deepseek-coder(?:-v2)?|tinyllama|gpt-oss|nomic-embed-text|llava';
const NOT_MODELS = new Set([
  'ttl',
  'port',
  'budget',
  'max',
  'min',
  'desired',
  'time',
  'tz',
  'region',
  'stop',
  'start',
  'from',
  'to',
  'http',
  'https',
]);
const BARE_MODEL_RE = regex(`\\b(${KNOWN_MODELS})\\b(?![.:\\w])(?:[\\s-]+(\\d+(?:\\.\\d+)?[bm])\\b)?`, 'g');
const MODEL_PATTERN = /^[a-z0-9][a-z0-9._/-]*(?::[a-z0-9._-]+)?$/;

/**
 * A size's noun that is the key of the next line or pair ("RAM: 32GB\nDisk: 200GB", "16gb disk=80")
 * is not the size's noun: the size before it belongs to the key before it.
 */
const NOT_A_KEY = '(?!\\s*[:=])';

/** What may stand between a core count and a size that, beside it, is the memory: "2 vcpu, 4 GB", "16 cores / 64 GB". */
const BESIDE = /^(?:\s|[,/+&]|\b(?:and|with|plus|x|each|per\s+(?:vm|node|machine|server|worker|agent)s?)\b)*$/;

/** The most memory per core a size beside a core count may be read as (memory-optimised machines have 8-16 GiB). */
const MAX_GIB_PER_CORE = 16;

/**
 * A size in MB or GB written with no noun right beside a core count is the memory of the same
 * machine: the "vCPU / memory" pair of every instance table ("2 vcpu, 4096 MB", "16 cores / 64 GB").
 * More than 16 GiB a core is more likely a disk, and a bare size elsewhere is no memory either:
 * both stay unread and are asked about.
 */
function memoryBesideCores(scan: GoalScan, cores: RegExpExecArray, count: number): RegExpExecArray | undefined {
  const re = regex(`\\b(\\d+(?:\\.\\d+)?)\\s*${RAM_UNIT}\\b`, 'g');
  const coresEnd = cores.index + cores[0].length;
  const near = matchesOf(re, scan.rest).find((m) => {
    const gap =
      m.index >= coresEnd ? scan.lower.slice(coresEnd, m.index) : scan.lower.slice(m.index + m[0].length, cores.index);
    return BESIDE.test(gap) && toMib(Number(m[1]), m[2]) <= count * MAX_GIB_PER_CORE * 1024;
  });
  if (near) scan.blank(near.index, near[0].length);
  return near;
}

/** The length of a count read before an instance type, without the "spot" that may follow it. */
function countLength(m: RegExpExecArray, spot: string | undefined): number {
  return spot === undefined ? m[0].length : m[0].lastIndexOf(spot);
}

export function extractCompute(scan: GoalScan): ComputeFacts {
  const facts: ComputeFacts = { instanceTypes: [], removedTypes: [], sized: [] };
  for (const m of scan.take(TYPE_RE)) {
    const t = m[0];
    if (isRemoved(scan.lower, m.index, m.index + m[0].length)) {
      if (!facts.removedTypes.includes(t)) facts.removedTypes.push(t);
      continue;
    }
    if (!facts.instanceTypes.includes(t)) facts.instanceTypes.push(t);
    const before = scan.rest.slice(Math.max(0, m.index - 30), m.index);
    // "2 spot g5.2xlarge", "1-3 spot g5.xlarge": "spot" between the count and the type is left
    // to the readers after (it names the capacity, and the blueprint).
    const range = regex(
      `\\b(?:between\\s+${NUM}\\s+and|(?:from\\s+)?${NUM}\\s*(?:-|–|to))\\s*${NUM}\\s*(?:x|×)?\\s*(?:(spot)\\s+)?$`,
    ).exec(before);
    const lo = range?.[1] ?? range?.[2];
    if (range?.[3] !== undefined && lo !== undefined && facts.rangeWithType === undefined) {
      facts.rangeWithType = { min: readNumber(lo), max: readNumber(range[3]) };
      scan.blank(m.index - before.length + range.index, countLength(range, range[4]));
      continue;
    }
    const count = regex(`\\b${NUM}\\s*(?:x|×)?\\s*(?:(spot)\\s+)?$`).exec(before);
    // "at least one g5.xlarge", "up to 4 g6.xlarge": a bound, left to the count reader with its words.
    const bound = count
      ? /\b(?:at\s+least|at\s+most|up\s+to|min(?:imum)?|max(?:imum)?|no\s+more\s+than|no\s+fewer\s+than)\s*$/.test(
          before.slice(0, count.index),
        )
      : false;
    if (count?.[1] !== undefined && facts.countWithType === undefined && !bound) {
      facts.countWithType = readNumber(count[1]);
      scan.blank(m.index - before.length + count.index, countLength(count, count[2]));
      continue;
    }
    // "G4DN.XLARGE x2", "g5.xlarge × 3": the count written after the type.
    const end = m.index + m[0].length;
    const after = /^\s*[x×]\s*(\d{1,3})\b(?![.\d])/.exec(scan.rest.slice(end));
    if (after?.[1] !== undefined && facts.countWithType === undefined) {
      facts.countWithType = Number(after[1]);
      scan.blank(end, after[0].length);
    }
  }
  for (const m of scan.take(FAMILY_RE)) {
    const t = FAMILY_SIZES[m[1] ?? ''];
    const list = isRemoved(scan.lower, m.index, m.index + m[0].length) ? facts.removedTypes : facts.instanceTypes;
    if (t && !list.includes(t)) list.push(t);
  }
  const tagged = scan.take(MODEL_RE, (m) => /[a-z]/.test(m[2] ?? '') && !NOT_MODELS.has(m[1] ?? ''))[0];
  if (tagged) facts.model = tagged[0];
  else {
    const bare = scan.takeFirst(BARE_MODEL_RE);
    if (bare) facts.model = bare[2] ? `${bare[1]}:${bare[2]}` : bare[1];
    else {
      const named = scan.takeFirst(/\bmodel\s+(?:named\s+|called\s+)?["'`]?([a-z0-9][a-z0-9._/-]*(?::[a-z0-9._-]+)?)/g);
      if (named?.[1] && /[a-z]/.test(named[1])) facts.model = named[1];
    }
  }
  if (facts.model !== undefined && (!MODEL_PATTERN.test(facts.model) || facts.model.length > 100)) {
    scan.fail(`model name "${facts.model}" is not a valid Ollama model reference`);
    facts.model = undefined;
  }
  // "RAM per VM: 12 GB", "vCPU per node: 6": a ticket's key sized per VM.
  for (const m of matchesOf(
    /\b(?:ram|memory|mem|v?cpus?|cores?|disks?|storage)(\s+(?:per|each)\s+(?:vm|node|machine|worker|server)s?)\s*(?=[:=])/g,
    scan.rest,
  ))
    scan.blank(m.index + m[0].indexOf(m[1] ?? ''), (m[1] ?? '').length);
  const vol =
    scan.takeFirst(
      regex(
        `\\b(\\d+(?:\\.\\d+)?)\\s*${DISK_UNIT}\\b[ \\t]*(?:of\\s+)?(?:ebs\\s+|ssd\\s+|gp3\\s+|root\\s+|nvme\\s+)?(?:disks?|volumes?|storage|ebs|ssd|drives?)\\b${NOT_A_KEY}`,
        'g',
      ),
    ) ??
    scan.takeFirst(
      regex(
        // "the disk on x to 200 GB": the stack's name between (left for the name reader) and a unit after.
        `\\b(?:disks?|volumes?|storage|ebs)(?:\\s+size)?\\s*(?:of|=|:|to|at)?\\s*(\\d+(?:\\.\\d+)?)\\s*${DISK_UNIT}?\\b|(?=\\d)(?<=\\b(?:disks?|volumes?|storage)(?:\\s+size)?\\s+(?:on|of|for)\\s+(?:the\\s+)?[a-z0-9][\\w.-]*(?:\\s+(?:stack|group))?\\s+(?:to|at)\\s+)(\\d+(?:\\.\\d+)?)\\s*${DISK_UNIT}\\b`,
        'g',
      ),
    );
  if (vol) {
    facts.volumeGb = vol[1] !== undefined ? toGib(Number(vol[1]), vol[2]) : toGib(Number(vol[3]), vol[4]);
    facts.sized.push({ what: 'disk', at: vol.index, end: vol.index + vol[0].length });
  }
  // "4c/16g", "8c/32gb": cores and memory per VM in the chat shorthand.
  // "8 cores / 32 GB / 120 GB each": cores, memory, then the disk.
  const triple = scan.takeFirst(
    /\b(\d{1,3})\s*(?:v?cpus?|cores?)\s*\/\s*(\d{1,4})\s*(gb|gib|g)\s*(?:ram|memory)?\s*\/\s*(\d{1,5})\s*(?:gb|gib|g)\b(?:\s*(?:disks?|storage))?/g,
  );
  if (triple && facts.cores === undefined) {
    facts.cores = Number(triple[1]);
    facts.memoryMb = toMib(Number(triple[2]), 'gb');
    facts.volumeGb ??= Number(triple[4]);
    const end = triple.index + triple[0].length;
    facts.sized.push(
      { what: 'cores', at: triple.index, end },
      { what: 'memory', at: triple.index, end },
      { what: 'disk', at: triple.index, end },
    );
  }
  // "6c/24g/80g": the disk third.
  const pair = scan.takeFirst(
    /\b(\d{1,3})\s*c\s*\/\s*(\d{1,4})\s*(g|gb|gib)\b(?:\s*\/\s*(\d{1,5})\s*(?:g|gb|gib)\b)?/g,
  );
  if (pair) {
    facts.cores = Number(pair[1]);
    facts.memoryMb = toMib(Number(pair[2]), 'gb');
    const end = pair.index + pair[0].length;
    facts.sized.push({ what: 'cores', at: pair.index, end }, { what: 'memory', at: pair.index, end });
    if (pair[4] !== undefined && facts.volumeGb === undefined) {
      facts.volumeGb = Number(pair[4]);
      facts.sized.push({ what: 'disk', at: pair.index, end });
    }
  }
  let mem =
    scan.takeFirst(
      regex(`\\b(\\d+(?:\\.\\d+)?)\\s*${MEMORY_UNIT}[ \\t]*(?:of\\s+)?(?:ram|memory|mem)\\b${NOT_A_KEY}`, 'g'),
    ) ??
    scan.takeFirst(regex(`\\b(?:ram|memory|mem)\\s*(?:of|=|:|to)?\\s*(\\d+(?:\\.\\d+)?)\\s*${MEMORY_UNIT}?\\b`, 'g'));
  const cores =
    scan.takeFirst(
      // On one line: "Workers: 6\\nvCPU: 4" is no 6 vCPUs.
      regex(`\\b${NUM}[ \\t]*(?:v?cpus?|cores?|vcores?)\\b(?!(?:[- ]only)?\\s+(?:workers?|agents?|nodes?)\\b)`, 'g'),
    ) ?? scan.takeFirst(regex(`\\b(?:cores?|v?cpus?)\\s*(?:of|=|:|to)?\\s*${NUM}\\b`, 'g'));
  if (cores?.[1] !== undefined) {
    facts.cores = readNumber(cores[1]);
    facts.sized.push({ what: 'cores', at: cores.index, end: cores.index + cores[0].length });
  }
  if (!mem && cores && facts.cores !== undefined) mem = memoryBesideCores(scan, cores, facts.cores);
  // "| 16384 MiB |": a size in MiB or MB with no noun is memory (disks are never sized in MB).
  if (!mem && facts.memoryMb === undefined)
    mem = scan.takeFirst(
      regex(`(?<![\\w.])(\\d{3,6})\\s*(mib|mb)\\b(?!\\s*(?:\\/|per\\b|disks?|volumes?|storage))`, 'g'),
    );
  if (mem) {
    facts.memoryMb = toMib(Number(mem[1]), mem[2]);
    facts.sized.push({ what: 'memory', at: mem.index, end: mem.index + mem[0].length });
  }
  return facts;
}
