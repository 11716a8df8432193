import { isDeepStrictEqual } from 'node:util';
import type { ValueSource } from '../../../contracts/index.js';
import type { Draft, GoalMeta } from './atlas-types.js';
import type { GoalFacts } from './extract-facts.js';
import { readPlacement } from './read-placement.js';

export type Provenance = Record<string, ValueSource>;

/** Which params the goal's words set, per blueprint (the same facts the builders read). */
function statedParams(f: GoalFacts): Record<string, boolean> {
  const c = f.counts;
  const n = f.network;
  const place = readPlacement(f);
  // A group's size is also said by its workers ("3 workers") or from its current one ("add 2 instances").
  const sizes =
    c.desired !== undefined ||
    f.compute.countWithType !== undefined ||
    c.gpus?.desired !== undefined ||
    [c.workers, c.instancesDelta, c.workersDelta, c.gpuWorkersDelta, c.scaleFrom, c.instancesFactor].some(
      (v) => v !== undefined,
    );
  return {
    instanceTypes: f.compute.instanceTypes.length + f.compute.removedTypes.length > 0,
    minSize: c.min !== undefined || c.gpus?.min !== undefined || c.scaleFrom !== undefined,
    maxSize: c.max !== undefined || c.gpus?.max !== undefined || c.scaleFrom !== undefined,
    desiredCapacity: sizes,
    onDemandBase: c.onDemand !== undefined || c.onDemandAll === true || c.onDemandShare !== undefined,
    vpcCidr: n.vpcCidr !== undefined,
    privateSubnetCidrs: n.subnetCidrs.length > 0,
    allowedCidrs: n.allowedCidrs.length + n.removedCidrs.length > 0 || n.worldOpenWords,
    ollamaPort: n.port !== undefined,
    volumeGb: f.compute.volumeGb !== undefined,
    diskGb: f.compute.volumeGb !== undefined,
    model: f.compute.model !== undefined,
    schedule: f.schedule.mentioned || f.schedule.remove || f.timezone !== undefined,
    remove: f.schedule.remove,
    asgName: f.names.asgName !== undefined,
    servers: c.servers !== undefined || c.serversDelta !== undefined || c.singleNode === true,
    workers: c.workers !== undefined || c.workersDelta !== undefined || c.singleNode === true,
    gpuWorkers: c.gpuWorkers !== undefined || c.gpuWorkersDelta !== undefined,
    cores: f.compute.cores !== undefined,
    memoryMb: f.compute.memoryMb !== undefined,
    node: place.node !== undefined,
    vmTemplate: place.vmTemplate !== undefined,
    network: place.network !== undefined,
    zone: f.dns.zone !== undefined || f.dns.fqdns.length > 0,
    name: f.dns.fqdns.length > 0 || f.dns.bareName !== undefined,
    type: f.dns.type !== undefined,
    value: f.network.ipv4.length + f.network.ipv6.length > 0 || f.dns.txt !== undefined || f.dns.fqdns.length > 1,
    ttl: f.dns.ttl !== undefined || f.dns.durationSec !== undefined,
    action: f.dns.remove,
  };
}

/** The span of the goal where a value is written as such (an instance type, a CIDR, a name). */
function spanOf(raw: string, value: unknown): ValueSource['span'] {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string' && typeof first !== 'number') return undefined;
  const text = String(first);
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Built from the value itself, used once: not one of the kept patterns (src/util/regexps.ts).
  const m = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'i').exec(raw);
  return m
    ? { start: m.index, end: m.index + text.length, text: raw.slice(m.index, m.index + text.length) }
    : undefined;
}

function words(raw: string, value: unknown, phrase?: string | { at: number; end: number }): ValueSource {
  const at = typeof phrase === 'string' ? raw.toLowerCase().indexOf(phrase.toLowerCase()) : (phrase?.at ?? -1);
  const end = typeof phrase === 'string' ? at + phrase.length : (phrase?.end ?? -1);
  const span = phrase && at >= 0 ? { start: at, end, text: raw.slice(at, end) } : spanOf(raw, value);
  return span ? { source: 'words', span } : { source: 'words' };
}

/** The sizes written in other units than the param's ("16 gigs of ram" for memoryMb 16384). */
const SIZE_PARAMS: Record<string, 'disk' | 'memory' | 'cores'> = {
  memoryMb: 'memory',
  cores: 'cores',
  diskGb: 'disk',
  volumeGb: 'disk',
};

/** A size counted from the GPUs asked ("3 spot GPUs", "2-8 GPUs") points at them, not at a number equal to it. */
function fromGpus(f: GoalFacts, key: string): { at: number; end: number } | undefined {
  const c = f.counts;
  const g = c.gpus;
  if (!g) return undefined;
  if (key === 'desiredCapacity')
    return g.desired !== undefined && c.desired === undefined && f.compute.countWithType === undefined ? g : undefined;
  if (key === 'minSize') return g.min !== undefined && c.min === undefined ? g : undefined;
  if (key === 'maxSize') return g.max !== undefined && c.max === undefined ? g : undefined;
  return undefined;
}

/** Where each value of a rules draft came from: the goal's words, the current spec, or a default. */
export function traceProvenance(draft: Draft, f: GoalFacts, meta: GoalMeta): Provenance {
  const stated = statedParams(f);
  const had = draft.current?.params as Record<string, unknown> | undefined;
  const out: Provenance = {};
  const fallback = (key: string): ValueSource => ({ source: had && key in had ? 'current-spec' : 'default' });
  for (const [key, value] of Object.entries(draft.params)) {
    const sized = f.compute.sized.find((z) => z.what === SIZE_PARAMS[key]);
    const phrase = key === 'schedule' || key === 'remove' ? f.schedule.negatedText : (sized ?? fromGpus(f, key));
    out[`params.${key}`] = stated[key] ? words(f.raw, value, phrase) : fallback(key);
  }
  if (draft.params && 'schedule' in stated && !('schedule' in draft.params) && f.schedule.negatedText)
    out['params.schedule'] = words(f.raw, undefined, f.schedule.negatedText);
  if (draft.region)
    out.region = f.region ? words(f.raw, draft.region) : { source: draft.current ? 'current-spec' : 'default' };
  const read = f.budgetRead;
  const plain = words(f.raw, draft.monthlyUsd);
  // A budget converted ("annual … $3,600" → 300, "three grand" → 3000) points at the words it was read from.
  out['budget.monthlyUsd'] =
    meta.budgetUsd !== undefined || f.budgetUsd !== undefined
      ? meta.budgetUsd === undefined && read.at !== undefined && read.end !== undefined && (read.note || !plain.span)
        ? words(f.raw, draft.monthlyUsd, { at: read.at, end: read.end })
        : plain
      : { source: draft.current ? 'current-spec' : 'default' };
  const brake = f.brakeRead;
  if (f.brakeRatio !== undefined && brake.at !== undefined && brake.end !== undefined)
    out['budget.brakeRatio'] = words(f.raw, draft.brakeRatio, { at: brake.at, end: brake.end });
  out.stack =
    meta.stack || f.names.stack ? words(f.raw, draft.stack) : { source: draft.current ? 'current-spec' : 'default' };
  return out;
}

/** After the model filled params: every value that differs from the parser's is the model's. */
export function markModelValues(p: Provenance, parser: object, merged: object): Provenance {
  const before = parser as Record<string, unknown>;
  const out = { ...p };
  for (const [key, value] of Object.entries(merged)) {
    if (!isDeepStrictEqual(before[key], value)) out[`params.${key}`] = { source: 'llm' };
  }
  return out;
}

/** One compact line for the review: "instanceTypes g5.xlarge ← your words · schedule: none ← 'keep it running…'". */
export function describeProvenance(p: Provenance, params: object, top: Record<string, unknown> = {}): string {
  const values = params as Record<string, unknown>;
  const LABEL: Record<ValueSource['source'], string> = {
    words: 'your words',
    default: 'default',
    'org-policy': 'org policy',
    'current-spec': 'current spec',
    llm: 'the model',
    observed: 'observed drift',
  };
  const parts = Object.entries(p)
    .filter(([, v]) => v.source !== 'default')
    .map(([key, v]) => {
      const name = key.replace(/^params\./, '');
      // "budget.monthlyUsd", "region", "stack" live beside the params, not in them.
      const value = key.startsWith('params.') ? values[name] : top[key];
      const shown =
        value === undefined
          ? 'none'
          : Array.isArray(value)
            ? value.join(',')
            : typeof value === 'object'
              ? '…'
              : String(value);
      const from = v.source === 'words' && v.span && v.span.text !== shown ? `'${v.span.text}'` : LABEL[v.source];
      return `${name} ${shown} ← ${from}`;
    });
  return `Where values came from (the rest are defaults): ${parts.length ? parts.join(' · ') : 'all defaults'}.`;
}
