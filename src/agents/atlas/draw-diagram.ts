import type { PlanSpec } from '../../../contracts/index.js';
import type { Draft } from './atlas-types.js';

type P<B extends PlanSpec['blueprint']> = Extract<PlanSpec, { blueprint: B }>['params'];

// Mermaid labels are quoted; quotes and brackets inside would end the label early.
const q = (s: string) => `"${s.replace(/["[\]{}<>]/g, "'")}"`;

/** A Mermaid `graph TD` of the resulting topology. */
export function drawDiagram(d: Draft): string {
  const lines = ['graph TD'];
  switch (d.blueprint) {
    case 'aws-spot-ollama': {
      const p = d.params as P<'aws-spot-ollama'>;
      lines.push(`  vpc[${q(`VPC ${p.vpcCidr}${d.region ? ` (${d.region})` : ''}`)}]`);
      p.privateSubnetCidrs.forEach((s, i) =>
        lines.push(`  vpc --> sub${i}[${q(`private subnet ${s}`)}]`, `  sub${i} --> asg`),
      );
      // What the group buys: Spot, on-demand (a base as large as the group), or both.
      const market =
        p.onDemandBase === 0
          ? 'spot'
          : p.onDemandBase >= p.maxSize
            ? 'on-demand'
            : `${p.onDemandBase} on-demand + spot`;
      lines.push(
        `  asg[${q(`ASG ${market} ${p.instanceTypes.join('/')}: min ${p.minSize} / desired ${p.desiredCapacity} / max ${p.maxSize}`)}]`,
      );
      lines.push(`  sg[${q(`SG port ${p.ollamaPort}`)}] --> asg`);
      p.allowedCidrs.forEach((c, i) => lines.push(`  src${i}((${q(c)})) -->|tcp ${p.ollamaPort}| sg`));
      if (p.model) lines.push(`  asg --> model[${q(`ollama ${p.model}`)}]`);
      if (p.schedule) {
        const s = p.schedule;
        lines.push(
          `  sched[${q(`schedule: stop ${s.stop.day} ${s.stop.time}, start ${s.start.day} ${s.start.time} ${s.timezone}`)}] -.-> asg`,
        );
      }
      break;
    }
    case 'asg-schedule': {
      const p = d.params as P<'asg-schedule'>;
      lines.push(`  asg[${q(`ASG ${p.asgName}`)}]`);
      if (p.remove) lines.push(`  rm[${q('remove scheduled actions')}] -.-> asg`);
      if (p.schedule) {
        lines.push(`  stop[${q(`stop ${p.schedule.stop.day} ${p.schedule.stop.time}`)}] -->|desired 0| asg`);
        lines.push(`  start[${q(`start ${p.schedule.start.day} ${p.schedule.start.time}`)}] -->|restore| asg`);
        lines.push(`  tz[${q(p.schedule.timezone)}] -.-> stop`);
      }
      break;
    }
    case 'proxmox-k3s': {
      const p = d.params as P<'proxmox-k3s'>;
      lines.push(`  node[${q(`Proxmox node ${p.node}`)}] --> net[${q(`bridge ${p.network}`)}]`);
      for (let i = 1; i <= p.servers; i++) lines.push(`  net --> s${i}[${q(`k3s server ${i}`)}]`);
      for (let i = 1; i <= p.workers; i++) {
        const gpu = i > p.workers - p.gpuWorkers;
        lines.push(`  s1 --> w${i}[${q(`worker ${i}${gpu ? ' (GPU passthrough)' : ''}`)}]`);
      }
      break;
    }
    case 'dns-record': {
      const p = d.params as P<'dns-record'>;
      const fqdn = p.name === '@' ? p.zone : `${p.name}.${p.zone}`;
      lines.push(`  zone[${q(`zone ${p.zone}`)}] -->|${p.action}| rec[${q(`${p.type} ${fqdn} TTL ${p.ttl}`)}]`);
      lines.push(`  rec --> val[${q(p.value ?? 'every value the server holds at plan time')}]`);
      break;
    }
  }
  return lines.join('\n');
}
