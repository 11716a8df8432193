import type { PlanSpec } from '../../../contracts/index.js';
import type { Draft } from './atlas-types.js';

type P<B extends PlanSpec['blueprint']> = Extract<PlanSpec, { blueprint: B }>['params'];

/** Rationale lines that state what the params do, whichever path filled them. */
export function describeParams(d: Pick<Draft, 'blueprint' | 'params'>): string[] {
  switch (d.blueprint) {
    case 'aws-spot-ollama': {
      const p = d.params as P<'aws-spot-ollama'>;
      const s = p.schedule;
      return [
        `Spot instance types ${p.instanceTypes.join(', ')}; min ${p.minSize}, desired ${p.desiredCapacity}, max ${p.maxSize}, on-demand base ${p.onDemandBase}.`,
        `VPC ${p.vpcCidr} with private subnets ${p.privateSubnetCidrs.join(', ')}; no public IPs.`,
        `Ollama port ${p.ollamaPort} reachable only from ${p.allowedCidrs.join(', ')}.`,
        `Encrypted ${p.volumeGb} GB volume${p.model ? `; model ${p.model}` : ''}.`,
        s
          ? `Schedule: stop ${s.stop.day} ${s.stop.time}, start ${s.start.day} ${s.start.time} (${s.timezone}).`
          : 'No off-hours schedule.',
      ];
    }
    case 'asg-schedule': {
      const p = d.params as P<'asg-schedule'>;
      const s = p.schedule;
      if (p.remove || !s) return [`Removes the stop/start scheduled actions from ASG ${p.asgName}.`];
      return [
        `ASG ${p.asgName}: scale to zero ${s.stop.day} ${s.stop.time}, restore ${s.start.day} ${s.start.time} (${s.timezone}).`,
      ];
    }
    case 'proxmox-k3s': {
      const p = d.params as P<'proxmox-k3s'>;
      return [
        `k3s on Proxmox node ${p.node}: ${p.servers} server(s), ${p.workers} worker(s) of which ${p.gpuWorkers} with GPU passthrough.`,
        `VMs from template ${p.vmTemplate} on ${p.network}: ${p.cores} cores, ${p.memoryMb} MB RAM, ${p.diskGb} GB disk each.`,
      ];
    }
    case 'dns-record': {
      const p = d.params as P<'dns-record'>;
      const fqdn = p.name === '@' ? p.zone : `${p.name}.${p.zone}`;
      if (p.value === undefined)
        return [
          `Remove every ${p.type} record of ${fqdn} in zone ${p.zone}; the plan looks up what the server holds and shows it before approval.`,
        ];
      return [
        `${p.action === 'remove' ? 'Remove' : 'Add'} ${p.type} record ${fqdn} → ${p.value}, TTL ${p.ttl}s, in zone ${p.zone}.`,
      ];
    }
  }
}
