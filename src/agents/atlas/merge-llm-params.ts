import type { AsgScheduleParams, AwsSpotOllamaParams, DnsRecordParams, ProxmoxK3sParams } from '../../../contracts/index.js';
import type { Draft, Params } from './atlas-types.js';
import { isTimeZone } from './extract-timezone.js';
import type { GoalFacts } from './extract-facts.js';
import { cidrInside, defaultSubnets } from './extract-network.js';
import { mentionsNumber } from './read-number.js';

/**
 * Merges the model's params over the parser's draft without letting the model widen the plan.
 * - Blueprint and stack stay the parser's.
 * - Network exposure (allowedCidrs, ollamaPort, vpcCidr, subnets) takes a model value only when
 *   the goal text literally contains it; everything the text asked for stays (never dropped).
 * - Destructive switches (dns action, asg remove) and names the parser found stay the parser's.
 * - Other fields (sizes, types, model, schedule, volume) are the model's: they are schema-checked,
 *   priced and budget-braked by Sentinel, and approved by a human.
 */
export function mergeLlmParams(draft: Draft, llm: Record<string, unknown>, f: GoalFacts, notes: string[]): Params {
  const inText = (v: string) => f.lower.includes(v.toLowerCase());
  switch (draft.blueprint) {
    case 'aws-spot-ollama': {
      const p = draft.params as AwsSpotOllamaParams;
      const m = llm as AwsSpotOllamaParams;
      let vpcCidr = inText(m.vpcCidr) ? m.vpcCidr : p.vpcCidr;
      let privateSubnetCidrs = m.privateSubnetCidrs.every(inText) ? m.privateSubnetCidrs : vpcCidr === p.vpcCidr ? p.privateSubnetCidrs : defaultSubnets(vpcCidr);
      if (!privateSubnetCidrs.every((s) => cidrInside(s, vpcCidr))) {
        vpcCidr = p.vpcCidr;
        privateSubnetCidrs = p.privateSubnetCidrs;
      }
      const grounded = (c: string) => inText(c) || p.allowedCidrs.includes(c);
      const dropped = m.allowedCidrs.filter((c) => !grounded(c));
      if (dropped.length) notes.push(`Dropped allowed CIDR(s) ${dropped.join(', ')} from the model's reply: the goal does not name them.`);
      const asked = [...f.network.allowedCidrs, ...(f.network.worldOpenWords ? ['0.0.0.0/0'] : [])];
      const kept = [...new Set([...m.allowedCidrs.filter(grounded), ...asked])];
      const out: AwsSpotOllamaParams = {
        ...m,
        vpcCidr,
        privateSubnetCidrs,
        allowedCidrs: kept.length > 0 ? kept : p.allowedCidrs,
        ollamaPort: m.ollamaPort === p.ollamaPort || mentionsNumber(f.lower, m.ollamaPort) ? m.ollamaPort : p.ollamaPort,
      };
      if (out.schedule && !isTimeZone(out.schedule.timezone)) out.schedule = p.schedule;
      if (out.model === undefined) delete out.model;
      if (out.schedule === undefined) delete out.schedule;
      return out;
    }
    case 'asg-schedule': {
      const p = draft.params as AsgScheduleParams;
      const m = llm as AsgScheduleParams;
      if (p.remove) return p;
      const schedule = m.schedule && isTimeZone(m.schedule.timezone) ? m.schedule : p.schedule;
      return schedule ? { asgName: p.asgName, schedule } : p;
    }
    case 'proxmox-k3s': {
      const p = draft.params as ProxmoxK3sParams;
      const m = llm as ProxmoxK3sParams;
      const pick = (k: 'node' | 'vmTemplate' | 'network') => (m[k] === p[k] || inText(m[k]) ? m[k] : p[k]);
      const out = { ...m, node: pick('node'), vmTemplate: pick('vmTemplate'), network: pick('network') };
      return out.gpuWorkers > out.workers ? p : out;
    }
    case 'dns-record': {
      const p = draft.params as DnsRecordParams;
      const m = llm as DnsRecordParams;
      // The record and its action are the parser's; the model may only adjust the TTL it states.
      const ttl = m.ttl === p.ttl || mentionsNumber(f.lower, m.ttl) ? m.ttl : p.ttl;
      return { ...p, ttl };
    }
  }
}
