import type { PlanSpec } from '../../../contracts/index.js';
import type { Draft } from './atlas-types.js';

type Risk = PlanSpec['risk'];

const wide = (cidrs: string[]) => cidrs.some((c) => Number(c.split('/')[1]) < 8);

/**
 * destructive: the plan removes something that exists: a DNS removal, a schedule removal,
 * fewer instances or VMs than now (including scale to zero), or a smaller disk.
 * level:
 * - high: a port open to a /0-/7 range, or fewer instances/VMs than now (work is killed);
 * - medium: any other destructive change, new billable compute (a new aws-spot-ollama or
 *   proxmox-k3s stack, more capacity), or a change to network exposure (CIDRs, port, VPC);
 * - low: everything else (a DNS add, a schedule, a model or budget change).
 */
export function assessRisk(d: Draft): Risk {
  const cur = d.current;
  switch (d.blueprint) {
    case 'dns-record': {
      const p = d.params as Extract<PlanSpec, { blueprint: 'dns-record' }>['params'];
      return p.action === 'remove' ? { destructive: true, level: 'medium' } : { destructive: false, level: 'low' };
    }
    case 'asg-schedule': {
      const p = d.params as Extract<PlanSpec, { blueprint: 'asg-schedule' }>['params'];
      return p.remove ? { destructive: true, level: 'medium' } : { destructive: false, level: 'low' };
    }
    case 'aws-spot-ollama': {
      const p = d.params as Extract<PlanSpec, { blueprint: 'aws-spot-ollama' }>['params'];
      const c = cur?.blueprint === 'aws-spot-ollama' ? cur.params : undefined;
      const shrinks = !!c && (p.desiredCapacity < c.desiredCapacity || p.maxSize < c.maxSize);
      const destructive = shrinks || (!!c && ((!!c.schedule && !p.schedule) || p.volumeGb < c.volumeGb));
      const exposure =
        !c ||
        p.allowedCidrs.join() !== c.allowedCidrs.join() ||
        p.ollamaPort !== c.ollamaPort ||
        p.vpcCidr !== c.vpcCidr;
      const grows =
        !c || p.desiredCapacity > c.desiredCapacity || p.maxSize > c.maxSize || p.onDemandBase > c.onDemandBase;
      const level = wide(p.allowedCidrs) || shrinks ? 'high' : destructive || grows || exposure ? 'medium' : 'low';
      return { destructive, level };
    }
    case 'proxmox-k3s': {
      const p = d.params as Extract<PlanSpec, { blueprint: 'proxmox-k3s' }>['params'];
      const c = cur?.blueprint === 'proxmox-k3s' ? cur.params : undefined;
      const shrinks = !!c && (p.servers < c.servers || p.workers < c.workers || p.gpuWorkers < c.gpuWorkers);
      const destructive = shrinks || (!!c && p.diskGb < c.diskGb);
      const grows =
        !c || p.servers > c.servers || p.workers > c.workers || p.cores > c.cores || p.memoryMb > c.memoryMb;
      return { destructive, level: shrinks ? 'high' : destructive || grows ? 'medium' : 'low' };
    }
  }
}
