import type { AwsSpotOllamaParams } from '../../../contracts/index.js';
import type { GoalFacts } from './extract-facts.js';
import type { SizeFactor } from './extract-size-share.js';
import { refuse, type Refusal } from '../../errors.js';

type GroupCounts = Pick<GoalFacts['counts'], 'desired' | 'min' | 'max'>;

/**
 * The group's size from words that are not a plain count of instances: "3 workers" (an Ollama
 * group has no roles: its workers are its instances), "add 2 instances" and "remove a worker"
 * (from the group's current size), "scale from 2 to 4 instances" (from the current size, which it
 * must be; a new group's range). Refused beside a count of instances that says otherwise.
 */
export function readGroupSize(
  f: GoalFacts,
  base: AwsSpotOllamaParams,
  isChange: boolean,
  notes: string[],
): { ok: true; counts: GroupCounts } | Refusal<'bad-input'> {
  const c = f.counts;
  const out: GroupCounts = {
    ...(c.desired !== undefined ? { desired: c.desired } : {}),
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
  };
  if (c.gpuMoved)
    return refuse(
      'bad-input',
      `an Ollama group's instances each have the GPUs of their instance type (${base.instanceTypes.join(', ')}): to change them, name another type (e.g. "use g5.2xlarge") or another number of instances`,
    );
  // "add a server" to an Ollama group: one more of its instances.
  const delta = c.instancesDelta ?? c.workersDelta ?? c.gpuWorkersDelta ?? c.serversDelta;
  const roles = c.workers;
  const said = c.desired ?? f.compute.countWithType;
  const factor = c.instancesFactor;
  if (factor && (said !== undefined || delta !== undefined || c.scaleFrom))
    return refuse(
      'bad-input',
      said !== undefined
        ? `the goal says both a size (${said} instance(s)) and "${factor.verb}": say one of them`
        : `the goal says both a size (${factor.verb}) and instances to add or remove: say one of them`,
    );
  if (factor) return multiplied(factor, f, base, isChange, out, notes);
  if (said !== undefined) {
    if (delta !== undefined || c.scaleFrom)
      return refuse(
        'bad-input',
        `the goal says both a size (${said} instance(s)) and instances to add or remove: say one of them`,
      );
    if (roles !== undefined && roles !== said)
      return refuse(
        'bad-input',
        `the goal says ${said} instance(s) and ${roles} worker(s), and an Ollama group's workers are its instances: say one count`,
      );
    return { ok: true, counts: out };
  }
  if (c.scaleFrom) {
    const { from, to } = c.scaleFrom;
    if (!isChange) return { ok: true, counts: { min: from, max: to, ...out } };
    if (from !== base.desiredCapacity)
      return refuse(
        'bad-input',
        `the group runs ${base.desiredCapacity} instance(s), not ${from}: say "scale to ${to}" to set its size`,
      );
    return { ok: true, counts: { ...out, desired: to } };
  }
  if (delta !== undefined) {
    const desired = base.desiredCapacity + delta;
    if (desired < 0)
      return refuse(
        'bad-input',
        `the group runs ${base.desiredCapacity} instance(s): it cannot lose ${-delta}; say "scale to zero" to stop them all`,
      );
    notes.push(
      `${delta >= 0 ? 'Adds' : 'Removes'} ${Math.abs(delta)} instance(s) ${delta >= 0 ? 'to' : 'from'} the ${base.desiredCapacity} the group runs.`,
    );
    return { ok: true, counts: { ...out, desired } };
  }
  if (roles !== undefined && c.servers !== undefined)
    return refuse(
      'bad-input',
      `the goal says ${c.servers} server(s) and ${roles} worker(s), and an Ollama group has only instances: say how many`,
    );
  // "Ollama on 2 servers": on AWS a server is one of the group's instances, as a worker is.
  const nodes = roles ?? c.servers;
  if (nodes !== undefined) {
    const word = roles !== undefined ? 'worker' : 'server';
    notes.push(`Read ${nodes} ${word}(s) as ${nodes} instance(s): an Ollama group's ${word}s are its instances.`);
    return { ok: true, counts: { ...out, desired: nodes } };
  }
  return { ok: true, counts: out };
}

const DONE: Record<SizeFactor['verb'], string> = { double: 'Doubles', triple: 'Triples', halve: 'Halves' };

/** "double x", "halve x": the size the group runs, times the factor (a whole number of instances). */
function multiplied(
  factor: SizeFactor,
  f: GoalFacts,
  base: AwsSpotOllamaParams,
  isChange: boolean,
  out: GroupCounts,
  notes: string[],
): { ok: true; counts: GroupCounts } | Refusal<'bad-input'> {
  if (!isChange)
    return refuse(
      'bad-input',
      `stack ${f.names.stack ?? 'this'} is new: it runs no instances to ${factor.verb}; say how many, e.g. "2 instances"`,
    );
  const runs = base.desiredCapacity;
  if (runs === 0)
    return refuse('bad-input', `the group runs no instances (it is scaled to zero): say the size, e.g. "scale to 2"`);
  const desired = runs * factor.factor;
  if (!Number.isInteger(desired))
    return refuse(
      'bad-input',
      `the group runs ${runs} instance(s): half of them is not a whole number; say the size, e.g. "scale to ${Math.floor(desired)}"`,
    );
  notes.push(`${DONE[factor.verb]} the ${runs} instance(s) the group runs: ${desired}.`);
  return { ok: true, counts: { ...out, desired } };
}
