import type { ProxmoxK3sParams } from '../../../contracts/index.js';
import type { AtlasDefaults } from './atlas-types.js';
import type { Built } from './build-aws-spot-ollama.js';
import { FIXED } from './default-atlas-defaults.js';
import type { GoalFacts } from './extract-facts.js';
import { readPlacement } from './read-placement.js';
import { refuse } from '../../errors.js';

function range(label: string, v: number, min: number, max: number): string | undefined {
  return v < min || v > max || !Number.isInteger(v) ? `${label} ${v} is out of range (${min}-${max})` : undefined;
}

/** What a removal asks beyond what the cluster holds, said with what it holds. */
function lessThanHeld(
  base: ProxmoxK3sParams,
  after: { servers: number; workers: number | undefined; gpuWorkers: number },
): string | undefined {
  if (after.servers < 1)
    return `the cluster has ${base.servers} server(s): it cannot lose ${base.servers - after.servers}; a k3s cluster keeps at least one`;
  if (after.workers !== undefined && after.workers < 0)
    return `the cluster has ${base.workers} worker(s): it cannot lose ${base.workers - after.workers}; say "0 workers" to keep only the servers`;
  if (after.gpuWorkers < 0)
    return `the cluster has ${base.gpuWorkers} GPU worker(s): it cannot lose ${base.gpuWorkers - after.gpuWorkers}`;
  return undefined;
}

export function buildProxmoxK3s(
  f: GoalFacts,
  d: AtlasDefaults,
  current: ProxmoxK3sParams | undefined,
  notes: string[],
): Built<ProxmoxK3sParams> {
  const c = f.counts;
  const base: ProxmoxK3sParams = current ?? {
    servers: FIXED.k3s.servers,
    workers: FIXED.k3s.workers,
    gpuWorkers: FIXED.k3s.gpuWorkers,
    vmTemplate: d.proxmox.vmTemplate,
    node: d.proxmox.node,
    cores: FIXED.k3s.cores,
    memoryMb: FIXED.k3s.memoryMb,
    diskGb: FIXED.k3s.diskGb,
    network: d.proxmox.network,
  };
  if (c.servers === 0) return refuse('bad-input', 'a k3s cluster needs at least one server (got 0)');
  // "add 2 servers" to a new cluster is its servers; "one fewer server" needs a cluster to have them.
  if (c.serversDelta !== undefined && !current && c.serversDelta < 0)
    return refuse('bad-input', 'a new cluster has no servers to remove: say how many it gets, e.g. "3 servers"');
  const servers = c.singleNode
    ? 1
    : (c.servers ?? (current ? base.servers + (c.serversDelta ?? 0) : (c.serversDelta ?? base.servers)));
  // GPU workers are counted among the workers ("2 workers, one with a GPU").
  const gpuAsked = c.gpuWorkers ?? (c.gpuWorkersDelta !== undefined ? base.gpuWorkers + c.gpuWorkersDelta : undefined);
  const gpuImplied = gpuAsked === undefined && !current && /\bgpus?\b/.test(f.lower) ? 1 : undefined;
  const gpuWorkers = gpuAsked ?? gpuImplied ?? base.gpuWorkers;
  // "3 masters and 2 nodes": beside a server count, plain nodes are the workers.
  const nodes = c.servers !== undefined ? c.desired : undefined;
  // "add 2 nodes" to a cluster adds workers; "scale from 2 to 4 workers" starts from its workers.
  const workersDelta = c.workersDelta ?? c.instancesDelta;
  if (c.scaleFrom && current && c.scaleFrom.from !== base.workers && c.workers === undefined)
    return refuse(
      'bad-input',
      `the cluster has ${base.workers} worker(s), not ${c.scaleFrom.from}: say "scale to ${c.scaleFrom.to} workers" to set them`,
    );
  // "double the workers of k3s-lab", "halve it": its workers, times the factor.
  const factor = c.instancesFactor;
  const multiplied = factor && current ? base.workers * factor.factor : undefined;
  if (factor && (!current || !Number.isInteger(multiplied)))
    return refuse(
      'bad-input',
      current
        ? `the cluster has ${base.workers} worker(s): half of them is not a whole number; say how many, e.g. "scale to ${Math.floor(base.workers / 2)} workers"`
        : `a new cluster has no workers to ${factor.verb}: say how many, e.g. "2 workers"`,
    );
  const statedWorkers = c.singleNode
    ? 0
    : (c.workers ??
      nodes ??
      c.scaleFrom?.to ??
      (workersDelta !== undefined ? base.workers + workersDelta : multiplied));
  // "three fewer workers" of two, "remove the GPU from two workers" of one: more than it has.
  const short = lessThanHeld(base, { servers, workers: statedWorkers, gpuWorkers });
  if (current && short) return refuse('bad-input', short);
  if (statedWorkers !== undefined && gpuWorkers > statedWorkers) {
    return refuse(
      'bad-input',
      `gpuWorkers ${gpuWorkers} cannot exceed workers ${statedWorkers}: GPU workers are counted among the workers`,
    );
  }
  // Adding a GPU worker adds a worker.
  const workers = statedWorkers ?? Math.max(base.workers + Math.max(c.gpuWorkersDelta ?? 0, 0), gpuWorkers);
  const p = readPlacement(f);
  const params: ProxmoxK3sParams = {
    servers,
    workers,
    gpuWorkers,
    vmTemplate: p.vmTemplate ?? base.vmTemplate,
    node: p.node ?? base.node,
    cores: f.compute.cores ?? base.cores,
    memoryMb: f.compute.memoryMb ?? base.memoryMb,
    diskGb: f.compute.volumeGb ?? base.diskGb,
    network: p.network ?? base.network,
  };
  const bad =
    range('servers', servers, 1, 9) ??
    range('workers', workers, 0, 50) ??
    range('gpuWorkers', gpuWorkers, 0, 50) ??
    range('cores', params.cores, 1, 128) ??
    range('memoryMb', params.memoryMb, 512, 1048576) ??
    range('diskGb', params.diskGb, 4, 65536);
  if (bad) return refuse('bad-input', bad);
  if (servers % 2 === 0)
    notes.push(`${servers} servers: an even count adds no etcd fault tolerance over ${servers - 1}.`);
  if (gpuImplied) notes.push('GPU passthrough asked without a count: one GPU worker.');
  return { ok: true, params };
}
